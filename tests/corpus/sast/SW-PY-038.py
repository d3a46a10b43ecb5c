import tempfile

path = tempfile.mktemp(suffix=".csv")  # shieldwall: expect SW-PY-038
handle, safe_path = tempfile.mkstemp(suffix=".csv")  # shieldwall: expect-not SW-PY-038
