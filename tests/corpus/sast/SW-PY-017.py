import importlib

from flask import Flask, request

app = Flask(__name__)
PLUGINS = {"csv": "plugins.csv_export"}


@app.route("/export")
def export():
    name = request.args["format"]
    module = importlib.import_module("plugins." + name)  # shieldwall: expect SW-PY-017
    chosen = importlib.import_module(PLUGINS["csv"])  # shieldwall: expect-not SW-PY-017
    return str((module, chosen))
