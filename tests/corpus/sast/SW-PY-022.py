import hashlib


def store(user, password):
    user.pw = hashlib.sha256(password.encode()).hexdigest()  # shieldwall: expect SW-PY-022


def checksum(blob):
    return hashlib.sha256(blob).hexdigest()  # shieldwall: expect-not SW-PY-022


def derive(password, salt):
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)  # shieldwall: expect-not SW-PY-022
