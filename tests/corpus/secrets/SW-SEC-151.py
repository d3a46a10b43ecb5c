nr = "NRJS-0306bd393b6d9b02db5"

sample_ref = "NRJS-0306bd393b6"

nr = "NRJS-030xxxxxxxxxxxxxxxx"
