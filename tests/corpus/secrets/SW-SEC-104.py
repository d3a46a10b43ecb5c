slack = "xoxb-07248146572-679476407199-HcnwLOsyDosd3VElnis5qd80"

sample_ref = "xoxb-07248146572-679476407199-HcnwLO"

slack = "xoxb-0724814xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
