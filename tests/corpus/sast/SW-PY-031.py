import os

from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run(debug=True)  # shieldwall: expect SW-PY-031
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # shieldwall: expect-not SW-PY-031
    app.run(debug=False)  # shieldwall: expect-not SW-PY-031
