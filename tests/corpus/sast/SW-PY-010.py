import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)
conn = ldap.initialize("ldap://directory.internal")


def lookup(uid):
    query = "(&(objectClass=person)(uid=" + uid + "))"
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, query)  # shieldwall: expect SW-PY-010


@app.route("/people")
def people():
    uid = request.args.get("uid")
    lookup(uid)
    safe = "(uid=%s)" % escape_filter_chars(uid)
    return str(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, safe))  # shieldwall: expect-not SW-PY-010
