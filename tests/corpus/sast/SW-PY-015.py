import re

from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    term = request.args["q"]
    pattern = re.compile(term)  # shieldwall: expect SW-PY-015
    literal = re.compile(re.escape(term))  # shieldwall: expect-not SW-PY-015
    fixed = re.compile(r"^[a-z]+$")  # shieldwall: expect-not SW-PY-015
    return str((pattern, literal, fixed))
