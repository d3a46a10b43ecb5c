"""Data access: the sinks of the SQL programs."""
import sqlite3

from sqlalchemy import text

DB = sqlite3.connect(":memory:")


def fetch(query):
    cur = DB.cursor()
    cur.execute(query)  # shieldwall: expect SW-PY-001
    return cur.fetchall()


def fetch_params(query, params):
    cur = DB.cursor()
    cur.execute(query, params)  # shieldwall: expect-not SW-PY-001
    return cur.fetchall()


def report(engine, column):
    return engine.execute(text("SELECT " + column + " FROM sales"))  # shieldwall: expect SW-PY-001
