import ast

from flask import Flask, request

app = Flask(__name__)


def evaluate(expression):
    return eval(expression)  # shieldwall: expect SW-PY-003


@app.post("/calc")
def calc():
    expr = request.get_json()["expr"]
    result = evaluate(expr)
    exec(compile(request.form["code"], "<user>", "exec"))  # shieldwall: expect SW-PY-003
    safe = ast.literal_eval(expr)  # shieldwall: expect-not SW-PY-003
    return str((result, safe))


def constant():
    return eval("1 + 2")  # shieldwall: expect-not SW-PY-003
