import hashlib
from hashlib import md5

digest = hashlib.md5(b"data").hexdigest()  # shieldwall: expect SW-PY-020
alias = md5(b"data")  # shieldwall: expect SW-PY-020
named = hashlib.new("MD5")  # shieldwall: expect SW-PY-020
etag = hashlib.md5(b"data", usedforsecurity=False).hexdigest()  # shieldwall: expect-not SW-PY-020
strong = hashlib.sha256(b"data")  # shieldwall: expect-not SW-PY-020
