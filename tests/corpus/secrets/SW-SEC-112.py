TWILIO_AUTH_TOKEN = "de8a5aaff3273c5ab5ecd96ec9a8a1c4"

sample_ref = "de8a5aaff3273c5ab5ecd"

TWILIO_AUTH_TOKEN = "de8a5aaff3xxxxxxxxxxxxxxxxxxxxxx"
