import socket

from flask import Flask

app = Flask(__name__)
sock = socket.socket()
sock.bind(("0.0.0.0", 8080))  # shieldwall: expect SW-PY-041
sock.bind(("127.0.0.1", 8080))  # shieldwall: expect-not SW-PY-041

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)  # shieldwall: expect SW-PY-041
    app.run(host="127.0.0.1", port=8000)  # shieldwall: expect-not SW-PY-041
