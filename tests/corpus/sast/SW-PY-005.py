import os

from flask import Flask, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/files"


def read(name):
    with open(os.path.join(BASE, name)) as handle:  # shieldwall: expect SW-PY-005
        return handle.read()


@app.route("/download")
def download():
    name = request.args.get("file")
    read(name)
    send_file(os.path.join(BASE, secure_filename(name)))  # shieldwall: expect-not SW-PY-005
    open(os.path.join(BASE, os.path.basename(name)))  # shieldwall: expect-not SW-PY-005
    return send_file(BASE + "/" + name)  # shieldwall: expect SW-PY-005


@app.route("/static-doc")
def doc():
    return send_file(os.path.join(BASE, "manual.pdf"))  # shieldwall: expect-not SW-PY-005
