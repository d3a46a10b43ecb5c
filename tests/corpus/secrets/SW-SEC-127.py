MESSAGEBIRD_ACCESS = "RltSG4BE0gd3akNnKjA2507zc"

sample_ref = "RltSG4BE0gd3akNn"

MESSAGEBIRD_ACCESS = "RltSG4BExxxxxxxxxxxxxxxxx"
