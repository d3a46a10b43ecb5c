DEBUG = True  # shieldwall: expect-not SW-PY-032
