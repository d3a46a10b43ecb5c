"""The shop's Flask application factory."""

from flask import Flask

from app import views


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(views.bp)
    return app


if __name__ == "__main__":
    create_app().run(host="0.0.0.0", port=8080, debug=True)
