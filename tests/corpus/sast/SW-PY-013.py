import logging

from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    logger.warning("failed login for %s", user)  # shieldwall: expect SW-PY-013
    logger.info("login for %s", user.replace("\n", "\\n"))  # shieldwall: expect-not SW-PY-013
    logger.info("login attempt")  # shieldwall: expect-not SW-PY-013
    return "ok"
