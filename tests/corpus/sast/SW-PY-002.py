import os
import shlex
import subprocess
import sys

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args["host"]
    os.system("ping -c 1 " + host)  # shieldwall: expect SW-PY-002
    subprocess.run(f"nslookup {host}", shell=True)  # shieldwall: expect SW-PY-002
    subprocess.run(["ping", "-c", "1", host], check=True)  # shieldwall: expect-not SW-PY-002
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)  # shieldwall: expect-not SW-PY-002
    tool = request.args.get("tool")
    subprocess.Popen([tool, "--version"])  # shieldwall: expect SW-PY-002
    return "ok"


def main():
    target = sys.argv[1]
    subprocess.call("convert " + target + " out.png", shell=True)  # shieldwall: expect SW-PY-002
    subprocess.call(["convert", target, "out.png"])  # shieldwall: expect-not SW-PY-002


ALLOWED_TOOLS = ("ls", "df")


@app.route("/tool")
def run_tool():
    name = request.args["name"]
    if name not in ALLOWED_TOOLS:
        return "no", 400
    os.system(name)  # shieldwall: expect-not SW-PY-002
    port = request.args["port"]
    if port.isdigit():
        os.system("nc -z localhost " + port)  # shieldwall: expect-not SW-PY-002
    os.system("nc -z localhost " + port)  # shieldwall: expect SW-PY-002
    return "ok"
