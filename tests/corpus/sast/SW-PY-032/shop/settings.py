import os

DEBUG = True  # shieldwall: expect SW-PY-032
