"""Trust boundary: request data stored in the session."""
from flask import Flask, request, session

app = Flask(__name__)
ROLES = ("user", "editor")


def remember(key, value):
    session[key] = value  # shieldwall: expect SW-PY-014


@app.route("/role")
def role():
    remember("role", request.args["role"])
    session["visits"] = session.get("visits", 0) + 1  # shieldwall: expect-not SW-PY-014
    return "ok"
