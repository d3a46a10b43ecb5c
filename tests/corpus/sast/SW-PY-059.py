import tempfile

with open("/tmp/report.csv", "w") as out:  # shieldwall: expect SW-PY-059
    out.write("x")
with tempfile.NamedTemporaryFile("w", suffix=".csv") as tmp:  # shieldwall: expect-not SW-PY-059
    tmp.write("x")
