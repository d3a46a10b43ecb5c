from flask import Flask, request, session

app = Flask(__name__)
ROLES = {"user", "editor"}


@app.route("/prefs", methods=["POST"])
def prefs():
    role = request.form["role"]
    session["role"] = role  # shieldwall: expect SW-PY-014
    session["theme"] = "dark"  # shieldwall: expect-not SW-PY-014
    session["count"] = len(role)  # shieldwall: expect-not SW-PY-014
    return "ok"


def remember(request):
    request.session["next"] = request.GET["next"]  # shieldwall: expect SW-PY-014
