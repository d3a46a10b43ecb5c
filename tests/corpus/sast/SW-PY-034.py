from flask import Flask, make_response

app = Flask(__name__)


@app.route("/")
def index():
    resp = make_response("ok")
    resp.set_cookie("sid", "abc", secure=True)  # shieldwall: expect SW-PY-034
    resp.set_cookie("sid", "abc", secure=True, httponly=False)  # shieldwall: expect SW-PY-034
    resp.set_cookie("sid", "abc", secure=True, httponly=True)  # shieldwall: expect-not SW-PY-034
    return resp
