HEROKU_API_KEY = "37dbba24-44a3-4603-a98a-bda44b1e8b47"

sample_ref = "37dbba24-44a3-4603-a98a-bda44b"

HEROKU_API_KEY = "37dbba24-44axxxxxxxxxxxxxxxxxxxxxxxx"
