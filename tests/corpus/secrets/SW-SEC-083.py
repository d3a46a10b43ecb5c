HEX_API_KEY = "5892c6d60bf1e791cc7fe8f22578d9ff"

sample_ref = "5892c6d60bf1e791cc7fe"

HEX_API_KEY = "5892c6d60bxxxxxxxxxxxxxxxxxxxxxx"
