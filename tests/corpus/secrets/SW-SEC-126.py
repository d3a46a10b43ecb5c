NEXMO_API_SECRET = "vPQVnvJVvVq3embw"

sample_ref = "vPQVnvJVvV"

NEXMO_API_SECRET = "vPQVnxxxxxxxxxxx"
