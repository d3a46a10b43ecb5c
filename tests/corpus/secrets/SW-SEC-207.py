HS = "pat-na1-fc3a56c8-dd9a-4d28-adf0-559d27834b79"

sample_ref = "pat-na1-fc3a56c8-dd9a-4d28-adf"

HS = "pat-na1-fc3axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
