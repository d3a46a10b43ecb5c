"""Unsafe deserialisation of cookies and bodies, from another module."""
from flask import Flask, request

from .deser_store import load_cart, load_config, load_config_safe, load_prefs

app = Flask(__name__)


@app.route("/cart")
def cart():
    raw = request.cookies.get("cart")
    return str((load_cart(raw), load_prefs(raw)))


@app.route("/config", methods=["POST"])
def config():
    body = request.get_data(as_text=True)
    return str((load_config(body), load_config_safe(body)))
