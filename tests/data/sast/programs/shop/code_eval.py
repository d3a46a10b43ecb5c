"""Code injection across functions."""
import ast

from flask import Flask, request

app = Flask(__name__)


class Calculator:
    def __init__(self, expression):
        self.expression = expression

    def compute(self, expression):
        return eval(expression)  # shieldwall: expect SW-PY-003

    def parse(self, expression):
        return ast.literal_eval(expression)  # shieldwall: expect-not SW-PY-003


@app.route("/calc")
def calc():
    expression = request.args["e"]
    calc = Calculator(expression)
    calc.parse(expression)
    return str(calc.compute(expression))
