"""Product images and partner feeds."""

import os

import requests
from flask import redirect, request, send_file

from app.views import bp

MEDIA_ROOT = "/srv/shop/media"


def media_path(name: str) -> str:
    return os.path.join(MEDIA_ROOT, "products", name)


@bp.route("/media")
def media():
    return send_file(media_path(request.args["file"]))


@bp.route("/feed")
def feed():
    url = request.args.get("url", "https://partner.example.com/feed.json")
    return requests.get(url, timeout=10).text


@bp.route("/continue")
def continue_shopping():
    return redirect(request.args.get("next", "/"))


@bp.route("/welcome/<name>")
def welcome(name: str):
    return f"<h1>Welcome back, {name}!</h1>"
