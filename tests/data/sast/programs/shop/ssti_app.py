"""Template injection: user text as template source."""
from flask import Flask, render_template_string, request

app = Flask(__name__)


def render_card(title):
    template = "<div>" + title + "</div>"
    return render_template_string(template)  # shieldwall: expect SW-PY-008


def render_card_safe(title):
    return render_template_string("<div>{{ title }}</div>", title=title)  # shieldwall: expect-not SW-PY-008


@app.route("/card")
def card():
    title = request.args["title"]
    return render_card(title) + render_card_safe(title)
