import os

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-secret-change-me"  # shieldwall: expect SW-PY-051
SECRET_KEY = os.environ["SECRET_KEY"]  # shieldwall: expect-not SW-PY-051
app.secret_key = os.environ.get("FLASK_SECRET")  # shieldwall: expect-not SW-PY-051
