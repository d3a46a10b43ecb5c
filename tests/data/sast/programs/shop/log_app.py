"""Log injection across a helper."""
import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("shop")


def audit(user):
    log.info("login by %s", user)  # shieldwall: expect SW-PY-013


def audit_safe(user):
    log.info("login by %s", user.replace("\n", " "))  # shieldwall: expect-not SW-PY-013


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    audit(user)
    audit_safe(user)
    return "ok"
