from flask import Flask, make_response

app = Flask(__name__)


@app.route("/")
def index():
    resp = make_response("ok")
    resp.set_cookie("sid", "abc", httponly=True)  # shieldwall: expect SW-PY-033
    resp.set_cookie("sid", "abc", secure=True, httponly=True, samesite="Lax")  # shieldwall: expect-not SW-PY-033
    return resp
