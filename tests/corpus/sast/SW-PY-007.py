from django.http import HttpResponse
from django.utils.html import escape
from flask import Flask, make_response, request
from markupsafe import Markup
from markupsafe import escape as mescape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"  # shieldwall: expect SW-PY-007


@app.route("/hi")
def hi():
    name = request.args.get("name", "")
    return f"<h1>Hello {mescape(name)}</h1>"  # shieldwall: expect-not SW-PY-007


@app.route("/banner")
def banner():
    text = request.args["text"]
    resp = make_response("<div>" + text + "</div>")  # shieldwall: expect SW-PY-007
    return resp, Markup("<b>static</b>")  # shieldwall: expect-not SW-PY-007


def comment(request):
    body = request.POST["body"]
    HttpResponse("<p>%s</p>" % escape(body))  # shieldwall: expect-not SW-PY-007
    return HttpResponse("<p>%s</p>" % body)  # shieldwall: expect SW-PY-007
