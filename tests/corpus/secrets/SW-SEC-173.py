NOMAD_TOKEN = "289bc40b-eb7f-4e17-ac57-49e1336b8cda"

sample_ref = "289bc40b-eb7f-4e17-ac57-49e133"

NOMAD_TOKEN = "289bc40b-eb7xxxxxxxxxxxxxxxxxxxxxxxx"
