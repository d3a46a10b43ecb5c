import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def fixed(key):
    return Cipher(algorithms.AES(key), modes.CBC(b"0000000000000000"))  # shieldwall: expect SW-PY-025


def fresh(key):
    iv = os.urandom(16)
    return Cipher(algorithms.AES(key), modes.CBC(iv))  # shieldwall: expect-not SW-PY-025
