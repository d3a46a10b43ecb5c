from cryptography.hazmat.primitives.asymmetric import rsa

weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # shieldwall: expect SW-PY-026
ok = rsa.generate_private_key(public_exponent=65537, key_size=3072)  # shieldwall: expect-not SW-PY-026
