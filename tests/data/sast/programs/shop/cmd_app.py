"""OS command injection through two modules; quoting and argument lists are safe."""
import shlex

from flask import Flask, request

from . import cmd_tools

app = Flask(__name__)


def ping_command(host):
    return "ping -c 1 " + host


@app.route("/ping")
def ping():
    host = request.args["host"]
    return cmd_tools.shell(ping_command(host))


@app.route("/ping-quoted")
def ping_quoted():
    host = request.args["host"]
    return cmd_tools.shell(ping_command(shlex.quote(host)))


@app.route("/convert")
def convert():
    program = request.form["program"]
    cmd_tools.run_tool([program, "--version"])
    cmd_tools.legacy("uptime")
    return "ok"


@app.route("/convert-safe")
def convert_safe():
    name = request.form["name"]
    return str(cmd_tools.run_tool(["convert", name, "out.png"]))
