import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"  # shieldwall: expect-not SW-PY-032
