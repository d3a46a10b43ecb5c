from flask import Flask, request

app = Flask(__name__)


class User:
    name = "alice"


@app.route("/welcome")
def welcome():
    template = request.args.get("template")
    text = template.format(user=User())  # shieldwall: expect SW-PY-016
    greeting = "Welcome {}".format(request.args.get("name"))  # shieldwall: expect-not SW-PY-016
    return text + greeting
