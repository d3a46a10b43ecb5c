import requests

status = requests.get("https://api.example.com/status")  # shieldwall: expect SW-PY-042
bounded = requests.get("https://api.example.com/status", timeout=10)  # shieldwall: expect-not SW-PY-042
