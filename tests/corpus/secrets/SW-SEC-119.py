POSTMARK_SERVER_TOKEN = "d426d0f6-d4c7-4e40-a2df-71da9e13ea62"

sample_ref = "d426d0f6-d4c7-4e40-a2df-71da9e"

POSTMARK_SERVER_TOKEN = "d426d0f6-d4cxxxxxxxxxxxxxxxxxxxxxxxx"
