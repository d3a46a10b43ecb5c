import hashlib

signature = hashlib.sha1(b"payload").hexdigest()  # shieldwall: expect SW-PY-021
other = hashlib.new("sha1", b"x")  # shieldwall: expect SW-PY-021
cache_key = hashlib.sha1(b"payload", usedforsecurity=False)  # shieldwall: expect-not SW-PY-021
good = hashlib.sha3_256(b"payload")  # shieldwall: expect-not SW-PY-021
