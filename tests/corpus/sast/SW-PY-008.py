import jinja2
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args.get("name")
    template = "<p>Hello " + name + "</p>"
    return render_template_string(template)  # shieldwall: expect SW-PY-008


@app.route("/greet2")
def greet2():
    name = request.args.get("name")
    return render_template_string("<p>Hello {{ name }}</p>", name=name)  # shieldwall: expect-not SW-PY-008


@app.route("/report")
def report():
    source = request.form["template"]
    env = jinja2.Environment(autoescape=True)
    return env.from_string(source).render()  # shieldwall: expect SW-PY-008
