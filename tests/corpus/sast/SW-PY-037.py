import jwt


def issue(claims, key):
    return jwt.encode(claims, None, algorithm="none")  # shieldwall: expect SW-PY-037


def accept(token, key):
    jwt.decode(token, key, algorithms=["HS256", "none"])  # shieldwall: expect SW-PY-037
    return jwt.decode(token, key, algorithms=["HS256"])  # shieldwall: expect-not SW-PY-037
