import httpx
import requests

requests.get("https://internal.example.com", verify=False, timeout=5)  # shieldwall: expect SW-PY-028
client = httpx.Client(verify=False)  # shieldwall: expect SW-PY-028
requests.get("https://internal.example.com", verify="/etc/ssl/ca.pem", timeout=5)  # shieldwall: expect-not SW-PY-028
requests.post("https://api.example.com", timeout=5)  # shieldwall: expect-not SW-PY-028
