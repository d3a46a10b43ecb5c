import ssl

ctx = ssl._create_unverified_context()  # shieldwall: expect SW-PY-029
other = ssl.create_default_context()
other.check_hostname = False  # shieldwall: expect SW-PY-029
other.verify_mode = ssl.CERT_NONE  # shieldwall: expect SW-PY-029
good = ssl.create_default_context()  # shieldwall: expect-not SW-PY-029
good.verify_mode = ssl.CERT_REQUIRED  # shieldwall: expect-not SW-PY-029
