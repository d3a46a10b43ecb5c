import os

os.chmod("/srv/app/upload", 0o777)  # shieldwall: expect SW-PY-040
os.chmod("/srv/app/key.pem", 0o600)  # shieldwall: expect-not SW-PY-040
os.umask(0)  # shieldwall: expect SW-PY-040
os.umask(0o077)  # shieldwall: expect-not SW-PY-040
