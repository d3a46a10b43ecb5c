from flask import Flask

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False  # shieldwall: expect SW-PY-053
WTF_CSRF_TIME_LIMIT = 3600  # shieldwall: expect-not SW-PY-053
app.config["WTF_CSRF_ENABLED"] = True  # shieldwall: expect-not SW-PY-053
