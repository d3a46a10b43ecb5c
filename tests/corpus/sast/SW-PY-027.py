import random
import secrets
import string

reset_token = "".join(random.choice(string.ascii_letters) for _ in range(32))  # shieldwall: expect SW-PY-027
otp = random.randint(100000, 999999)  # shieldwall: expect SW-PY-027
session_token = secrets.token_urlsafe(32)  # shieldwall: expect-not SW-PY-027
jitter = random.random()  # shieldwall: expect-not SW-PY-027
