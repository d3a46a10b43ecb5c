plaid = "access-production-bd7970d4-4bf1-4d55-a8aa-c64e9baecbc5"

sample_ref = "access-production-bd7970d4-4bf1-4d55-a8a"

plaid = "access-produxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
