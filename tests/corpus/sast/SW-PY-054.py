from django.utils.html import format_html
from django.utils.safestring import mark_safe


def badge(label):
    return mark_safe("<span>" + label + "</span>")  # shieldwall: expect SW-PY-054


def safe_badge(label):
    format_html("<span>{}</span>", label)  # shieldwall: expect-not SW-PY-054
    return mark_safe("<span>static</span>")  # shieldwall: expect-not SW-PY-054
