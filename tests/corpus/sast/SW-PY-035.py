from flask import Flask

app = Flask(__name__)
SESSION_COOKIE_SECURE = False  # shieldwall: expect SW-PY-035
app.config["SESSION_COOKIE_HTTPONLY"] = False  # shieldwall: expect SW-PY-035
CSRF_COOKIE_SECURE = True  # shieldwall: expect-not SW-PY-035
