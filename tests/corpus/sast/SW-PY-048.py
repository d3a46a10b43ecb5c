def find(cursor, name):
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")  # shieldwall: expect SW-PY-048
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))  # shieldwall: expect-not SW-PY-048
    cursor.execute("SELECT * FROM users WHERE id = %d" % int(name))  # shieldwall: expect-not SW-PY-048
