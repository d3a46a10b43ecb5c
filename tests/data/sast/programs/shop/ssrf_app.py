"""SSRF through a helper module."""
from flask import Flask, request

from .ssrf_client import fetch, fetch_partner

app = Flask(__name__)


@app.route("/preview")
def preview():
    return fetch(request.args["url"])


@app.route("/partner")
def partner():
    return fetch_partner(request.args["name"])
