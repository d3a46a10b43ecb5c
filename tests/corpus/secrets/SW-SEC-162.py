SPLUNK_HEC_TOKEN = "e3ff2a98-9d1e-4ae4-a4fb-7e58c44db573"

sample_ref = "e3ff2a98-9d1e-4ae4-a4fb-7e58c4"

SPLUNK_HEC_TOKEN = "e3ff2a98-9d1xxxxxxxxxxxxxxxxxxxxxxxx"
