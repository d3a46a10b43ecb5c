"""XPath injection; XPath variables are safe."""
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("catalog.xml")


def by_sku(sku):
    return DOC.xpath("//item[@sku='" + sku + "']")  # shieldwall: expect SW-PY-011


def by_sku_safe(sku):
    return DOC.xpath("//item[@sku=$sku]", sku=sku)  # shieldwall: expect-not SW-PY-011


@app.route("/item")
def item():
    sku = request.args["sku"]
    return str((by_sku(sku), by_sku_safe(sku)))
