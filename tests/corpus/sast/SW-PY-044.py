import json
import pickle


def restore(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)  # shieldwall: expect SW-PY-044


def restore_json(path):
    with open(path) as handle:
        return json.load(handle)  # shieldwall: expect-not SW-PY-044


def round_trip(obj):
    return pickle.loads(pickle.dumps(obj))  # shieldwall: expect-not SW-PY-044
