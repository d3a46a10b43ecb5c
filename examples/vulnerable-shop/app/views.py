"""HTTP endpoints of the shop."""

import hashlib
import os
import subprocess

import yaml
from flask import Blueprint, jsonify, request

from app import db

bp = Blueprint("shop", __name__)


@bp.route("/search")
def search():
    term = request.args.get("q", "")
    return jsonify(db.find_products(term))


@bp.route("/orders/<int:order_id>")
def order(order_id: int):
    return jsonify(db.find_order(order_id))


@bp.route("/admin/ping")
def ping():
    host = request.args.get("host", "localhost")
    output = subprocess.check_output("ping -c 1 " + host, shell=True)
    return output


@bp.route("/admin/import", methods=["POST"])
def import_catalogue():
    catalogue = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify({"imported": len(catalogue)})


@bp.route("/admin/report")
def report():
    name = request.args.get("name", "daily")
    os.system("generate-report " + name)
    return "ok"


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()
