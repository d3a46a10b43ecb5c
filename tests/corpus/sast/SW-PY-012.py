from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/lang")
def lang():
    value = request.args.get("lang", "en")
    resp = make_response("ok")
    resp.headers["Content-Language"] = value  # shieldwall: expect SW-PY-012
    clean = value.replace("\r", "").replace("\n", "")
    resp.headers["X-Lang"] = clean  # shieldwall: expect-not SW-PY-012
    resp.headers["X-Frame-Options"] = "DENY"  # shieldwall: expect-not SW-PY-012
    return resp
