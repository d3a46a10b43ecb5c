# Generic high-entropy secrets assigned to secret-ish names in Python.
API_TOKEN = "a8f3K9mZq2LwX7vB4nR6tY1pE5sD0cHj"  # shieldwall: expect SW-SEC-001
client_secret: str = "Qm9vN2xhc3Q0ZXZlcjE5ODQyMDI0eHl6"  # shieldwall: expect SW-SEC-001
settings = {"signing_key": "7f3a9c2e8b1d4f6a0e5c3b2a1d9f8e7c"}  # shieldwall: expect SW-SEC-001
connect(api_key="Zr8Tq3Wv6Yx1Bn4Mk7Lp0Hs2")  # shieldwall: expect SW-SEC-001

API_TOKEN = os.environ["API_TOKEN"]  # shieldwall: expect-not SW-SEC-001
API_TOKEN = "your-api-token-here"  # shieldwall: expect-not SW-SEC-001
secret_name = "prod/shop/db-credentials-2024"  # shieldwall: expect-not SW-SEC-001
token_type = "Bearer"  # shieldwall: expect-not SW-SEC-001
auth_token = "MyApplicationAuthTokenName"  # shieldwall: expect-not SW-SEC-001
access_key = "0000000000000000"  # shieldwall: expect-not SW-SEC-001
if token == "a8f3K9mZq2LwX7vB4nR6tY1pE5sD0cHj":  # shieldwall: expect-not SW-SEC-001
    pass
secret = "{{ vault_secret }}"  # shieldwall: expect-not SW-SEC-001
max_tokens = "4096"  # shieldwall: expect-not SW-SEC-001
REVISION_SCRIPT_TOKEN = "REVISION_SCRIPT_FILENAME"  # shieldwall: expect-not SW-SEC-001
ident_pattern_token = f'([{ident_start}][{ident_continue}]+)'  # shieldwall: expect-not SW-SEC-001
