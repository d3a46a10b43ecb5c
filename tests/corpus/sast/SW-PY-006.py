import urllib.request

import requests
from flask import Flask, request

app = Flask(__name__)
ALLOWED = {"a": "https://api.example.com/a"}


def fetch(url):
    return requests.get(url, timeout=5).text  # shieldwall: expect SW-PY-006


@app.route("/proxy")
def proxy():
    target = request.args["url"]
    fetch(target)
    urllib.request.urlopen(target)  # shieldwall: expect SW-PY-006
    key = request.args["key"]
    requests.get("https://api.example.com/items/" + key, timeout=5)  # shieldwall: expect-not SW-PY-006
    requests.get(f"https://{key}.example.com/", timeout=5)  # shieldwall: expect SW-PY-006
    requests.get(ALLOWED.get("a"), timeout=5)  # shieldwall: expect-not SW-PY-006
    return requests.post("https://api.example.com/hook", json={"k": key}, timeout=5).text  # shieldwall: expect-not SW-PY-006
