gl = "GR1348941AnCQ5Cv7d-hS1ak-EycM"

sample_ref = "GR1348941AnCQ5Cv7d-"

gl = "GR1348941xxxxxxxxxxxxxxxxxxxx"
