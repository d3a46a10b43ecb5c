MISTRAL_API_KEY = "ygWwX9r4YTBVIp1OiosZKmZ7EcDxVN76"

sample_ref = "ygWwX9r4YTBVIp1OiosZK"

MISTRAL_API_KEY = "ygWwX9r4YTxxxxxxxxxxxxxxxxxxxxxx"
