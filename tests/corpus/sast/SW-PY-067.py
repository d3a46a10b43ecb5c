import os

from cryptography.fernet import Fernet

box = Fernet(b"ZmRmZGZkZmRmZGZkZmRmZGZkZmRmZGZkZmRmZGZkZmQ=")  # shieldwall: expect SW-PY-067
other = Fernet(os.environ["FERNET_KEY"])  # shieldwall: expect-not SW-PY-067
