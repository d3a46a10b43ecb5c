from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding


def seal(public_key, data):
    old = public_key.encrypt(data, padding.PKCS1v15())  # shieldwall: expect SW-PY-065
    new = public_key.encrypt(  # shieldwall: expect-not SW-PY-065
        data, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    )
    return old, new
