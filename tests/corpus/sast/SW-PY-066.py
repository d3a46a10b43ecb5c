import hashlib
import os


def hash_password(password: bytes) -> bytes:
    fixed = hashlib.pbkdf2_hmac("sha256", password, b"static-salt", 600_000)  # shieldwall: expect SW-PY-066
    salt = os.urandom(16)
    fresh = hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)  # shieldwall: expect-not SW-PY-066
    return fixed + fresh
