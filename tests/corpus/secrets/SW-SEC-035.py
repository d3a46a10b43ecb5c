fly = "fo1_ajKRZ-Y8UIrnbcFvV6vXzO3oAlpQyAmJa0Idjnn38jf"

sample_ref = "fo1_ajKRZ-Y8UIrnbcFvV6vXzO3oAlp"

fly = "fo1_ajKRZ-Y8xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
