import sqlite3

from django.db import connection
from flask import Flask, request
from sqlalchemy import text

app = Flask(__name__)
db = sqlite3.connect("shop.db")


def run(query):
    cur = db.cursor()
    cur.execute(query)  # shieldwall: expect SW-PY-001
    return cur.fetchall()


def by_name(name):
    return run("SELECT * FROM users WHERE name = '" + name + "'")


@app.route("/users")
def users():
    name = request.args.get("name", "")
    return str(by_name(name))


@app.route("/orders")
def orders():
    status = request.form["status"]
    cur = db.cursor()
    cur.execute("SELECT * FROM orders WHERE status = ?", (status,))  # shieldwall: expect-not SW-PY-001
    limit = int(request.args.get("limit", "10"))
    cur.execute(f"SELECT * FROM orders LIMIT {limit}")  # shieldwall: expect-not SW-PY-001
    session_engine.execute(text(f"SELECT * FROM t WHERE s = '{status}'"))  # shieldwall: expect SW-PY-001
    return "ok"


def django_view(request):
    term = request.GET.get("q")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM items WHERE title LIKE '%%%s%%'" % term)  # shieldwall: expect SW-PY-001
    query = "SELECT 1"
    if False:
        query = "SELECT " + term
    cursor.execute(query)  # shieldwall: expect-not SW-PY-001
    return Item.objects.raw("SELECT * FROM items WHERE owner = %s", [term])  # shieldwall: expect-not SW-PY-001


session_engine = None
