"""Session storage: deserialisation sinks."""
import base64
import json
import pickle

import yaml


def load_cart(blob):
    return pickle.loads(base64.b64decode(blob))  # shieldwall: expect SW-PY-004


def load_prefs(blob):
    return json.loads(blob)  # shieldwall: expect-not SW-PY-004


def load_config(text):
    return yaml.load(text, Loader=yaml.Loader)  # shieldwall: expect SW-PY-004


def load_config_safe(text):
    return yaml.safe_load(text)  # shieldwall: expect-not SW-PY-004
