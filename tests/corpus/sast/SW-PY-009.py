from django.shortcuts import redirect as django_redirect
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login")
def login():
    target = request.args.get("next", "/")
    return redirect(target)  # shieldwall: expect SW-PY-009


@app.route("/logout")
def logout():
    return redirect(url_for("index"))  # shieldwall: expect-not SW-PY-009


def after_signup(request):
    nxt = request.GET.get("next")
    if nxt:
        return django_redirect(nxt)  # shieldwall: expect SW-PY-009
    return django_redirect("/welcome")  # shieldwall: expect-not SW-PY-009


@app.route("/orders/<order_id>")
def order_page(order_id):
    redirect("/orders/" + order_id)  # shieldwall: expect-not SW-PY-009
    redirect(f"{url_for('search')}?q={request.args['q']}")  # shieldwall: expect-not SW-PY-009
    redirect(request.path + "/")  # shieldwall: expect-not SW-PY-009
    return redirect("//" + request.args["host"])  # shieldwall: expect SW-PY-009


def set_language(request):
    nxt = request.POST.get("next")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return django_redirect(nxt)  # shieldwall: expect-not SW-PY-009


def checked_only_sometimes(request):
    nxt = request.POST.get("next")
    if request.user.is_staff and not url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
        nxt = "/"
    return django_redirect(nxt)  # shieldwall: expect SW-PY-009


from django.utils.http import url_has_allowed_host_and_scheme  # noqa: E402
