import requests

plain = requests.get("http://api.example.com/v1/items", timeout=5)  # shieldwall: expect SW-PY-058
tls = requests.get("https://api.example.com/v1/items", timeout=5)  # shieldwall: expect-not SW-PY-058
local = requests.get("http://localhost:8080/health", timeout=5)  # shieldwall: expect-not SW-PY-058
