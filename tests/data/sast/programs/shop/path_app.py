"""Path traversal across modules; one path sanitised, one not."""
import os

from flask import Flask, request

from .path_files import read_safe, read_upload, remove

app = Flask(__name__)


@app.route("/file")
def get_file():
    name = request.args["name"]
    if name.endswith(".txt"):
        name = os.path.basename(name)
    return read_upload(name)


@app.route("/file-safe")
def get_file_safe():
    return read_safe(request.args["name"])


@app.route("/clean")
def clean():
    target = request.args.get("dir")
    remove(os.path.join("/srv/cache", target))  # shieldwall: expect SW-PY-005
    return "ok"
