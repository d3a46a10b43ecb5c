"""Outbound HTTP: SSRF sinks."""
import httpx
import requests

PARTNERS = {"acme": "https://acme.example.com/api"}


def fetch(url):
    return requests.get(url, timeout=5).text  # shieldwall: expect SW-PY-006


def fetch_partner(name):
    return httpx.get(PARTNERS.get(name, PARTNERS["acme"]), timeout=5).text  # shieldwall: expect-not SW-PY-006
