"""Data access for products and orders."""

import sqlite3

DATABASE = "shop.db"


def connect() -> sqlite3.Connection:
    return sqlite3.connect(DATABASE)


def find_products(term: str) -> list[tuple]:
    conn = connect()
    query = "SELECT id, name, price FROM products WHERE name LIKE '%" + term + "%'"
    return conn.execute(query).fetchall()


def find_order(order_id: int) -> tuple | None:
    conn = connect()
    return conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
