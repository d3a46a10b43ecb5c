"""Cross-site scripting through helpers and direct responses."""
from flask import Flask, request
from markupsafe import escape

from .xss_render import banner, banner_safe

app = Flask(__name__)


def greeting(name):
    return "<h1>Hello " + name + "</h1>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<main>{greeting(name)}</main>"  # shieldwall: expect SW-PY-007


@app.route("/hello-safe")
def hello_safe():
    name = escape(request.args.get("name", ""))
    return f"<main>{greeting(name)}</main>"  # shieldwall: expect-not SW-PY-007


@app.route("/banner")
def show_banner():
    text = request.args["t"]
    return str(banner(text)) + str(banner_safe(text))
