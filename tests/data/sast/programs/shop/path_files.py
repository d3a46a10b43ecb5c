"""File access helpers: path traversal sinks."""
import os
import shutil

from werkzeug.utils import secure_filename

ROOT = "/srv/uploads"


def read_upload(name):
    with open(ROOT + "/" + name) as handle:  # shieldwall: expect SW-PY-005
        return handle.read()


def read_safe(name):
    with open(os.path.join(ROOT, secure_filename(name))) as handle:  # shieldwall: expect-not SW-PY-005
        return handle.read()


def remove(name):
    shutil.rmtree(name)  # shieldwall: expect SW-PY-005
