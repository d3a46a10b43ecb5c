from flask import Flask, request
from lxml import etree

app = Flask(__name__)
tree = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args.get("name")
    found = tree.xpath("//user[@name='" + name + "']")  # shieldwall: expect SW-PY-011
    same = tree.xpath("//user[@name=$name]", name=name)  # shieldwall: expect-not SW-PY-011
    return str((found, same))
