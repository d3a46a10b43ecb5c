"""HTML helpers: XSS sinks."""
from markupsafe import Markup, escape


def banner(text):
    return Markup("<div class='banner'>" + text + "</div>")  # shieldwall: expect SW-PY-007


def banner_safe(text):
    return Markup("<div class='banner'>%s</div>") % escape(text)  # shieldwall: expect-not SW-PY-007
