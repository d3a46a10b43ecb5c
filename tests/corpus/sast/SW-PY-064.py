import hashlib
import os


def derive(password: bytes) -> bytes:
    salt = os.urandom(16)
    weak = hashlib.pbkdf2_hmac("sha256", password, salt, 1000)  # shieldwall: expect SW-PY-064
    strong = hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)  # shieldwall: expect-not SW-PY-064
    return weak + strong
