flw = "FLWSECK-17dbbd3b2c58076cfcae25gbd312h128-X"

sample_ref = "FLWSECK-17dbbd3b2c58076cfcae"

flw = "FLWSECK-17dbxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
