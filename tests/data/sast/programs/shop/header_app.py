"""Header injection through a helper."""
from flask import Flask, make_response, request

app = Flask(__name__)


def with_header(resp, value):
    resp.headers["X-Request-Id"] = value  # shieldwall: expect SW-PY-012
    return resp


def strip_crlf(value):
    return value.replace("\r", "").replace("\n", "")


@app.route("/trace")
def trace():
    rid = request.headers.get("X-Request-Id", "")
    resp = make_response("ok")
    resp.headers["X-Trace"] = strip_crlf(rid)  # shieldwall: expect-not SW-PY-012
    return with_header(resp, rid)
