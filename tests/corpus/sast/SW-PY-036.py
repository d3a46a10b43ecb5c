import jwt


def claims(token, key):
    unsafe = jwt.decode(token, options={"verify_signature": False})  # shieldwall: expect SW-PY-036
    legacy = jwt.decode(token, key, verify=False)  # shieldwall: expect SW-PY-036
    checked = jwt.decode(token, key, algorithms=["HS256"])  # shieldwall: expect-not SW-PY-036
    return unsafe, legacy, checked
