"""SQL injection across functions and modules, with safe variants."""
from flask import Flask, request

from .sql_repo import fetch, fetch_params, report

app = Flask(__name__)


def build(name):
    return "SELECT * FROM users WHERE name = '%s'" % name


def lookup(name):
    return fetch(build(name))


@app.route("/users")
def users():
    return str(lookup(request.args["name"]))


@app.route("/users-safe")
def users_safe():
    return str(fetch_params("SELECT * FROM users WHERE name = ?", (request.args["name"],)))


@app.route("/count")
def count():
    limit = int(request.args.get("limit", "10"))
    return str(fetch("SELECT * FROM users LIMIT %d" % limit))


@app.route("/sales")
def sales():
    engine = None
    return str(report(engine, request.args.get("col")))
