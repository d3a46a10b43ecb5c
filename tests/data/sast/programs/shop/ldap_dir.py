"""Directory lookups: LDAP injection."""
import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)
CONN = ldap.initialize("ldap://ldap.internal")


def member_filter(uid):
    return "(&(objectClass=person)(uid=%s))" % uid


def search(flt):
    return CONN.search_s("dc=shop", ldap.SCOPE_SUBTREE, flt)  # shieldwall: expect SW-PY-010


@app.route("/member")
def member():
    uid = request.args["uid"]
    search(member_filter(uid))
    return str(CONN.search_s("dc=shop", ldap.SCOPE_SUBTREE, member_filter(escape_filter_chars(uid))))  # shieldwall: expect-not SW-PY-010
