from Crypto.Cipher import AES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def pycryptodome(key):
    return AES.new(key, AES.MODE_ECB)  # shieldwall: expect SW-PY-024


def pyca(key):
    return Cipher(algorithms.AES(key), modes.ECB())  # shieldwall: expect SW-PY-024


def fine(key, nonce):
    return Cipher(algorithms.AES(key), modes.GCM(nonce))  # shieldwall: expect-not SW-PY-024
