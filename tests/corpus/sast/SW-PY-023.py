from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def legacy(key, iv):
    return DES.new(key, DES.MODE_CBC, iv)  # shieldwall: expect SW-PY-023


def rc4(key):
    return Cipher(algorithms.ARC4(key), mode=None)  # shieldwall: expect SW-PY-023


def modern(key, nonce):
    return Cipher(algorithms.AES(key), modes.GCM(nonce))  # shieldwall: expect-not SW-PY-023


def aes(key, nonce):
    return AES.new(key, AES.MODE_GCM, nonce=nonce)  # shieldwall: expect-not SW-PY-023
