import base64
import json
import pickle

import yaml
from flask import Flask, request

app = Flask(__name__)


def load_profile(blob):
    return pickle.loads(base64.b64decode(blob))  # shieldwall: expect SW-PY-004


@app.route("/profile", methods=["POST"])
def profile():
    data = request.cookies.get("profile")
    user = load_profile(data)
    config = yaml.load(request.data, Loader=yaml.Loader)  # shieldwall: expect SW-PY-004
    settings = yaml.load(request.data, Loader=yaml.SafeLoader)  # shieldwall: expect-not SW-PY-004
    prefs = json.loads(data)  # shieldwall: expect-not SW-PY-004
    return str((user, config, settings, prefs))
