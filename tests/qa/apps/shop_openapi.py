"""The users and the hand-written OpenAPI document shared by the Flask and Django shops."""

from __future__ import annotations

from typing import Any

USERS = {"alice": ("a-pass", "user"), "bob": ("b-pass", "user"), "root": ("r-pass", "admin")}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "components": {
        "securitySchemes": {"cookie": {"type": "apiKey", "in": "cookie", "name": "sid"}}
    },
    "security": [{"cookie": []}],
    "paths": {
        "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        "/login": {"post": {"security": [], "responses": {"200": {"description": "ok"}}}},
        "/orders": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "post": {"requestBody": {"content": {}}, "responses": {"201": {"description": "ok"}}},
        },
        "/orders/{id}": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "put": {"requestBody": {"content": {}}, "responses": {"200": {"description": "ok"}}},
            "delete": {"responses": {"204": {"description": "ok"}}},
        },
        "/admin/users": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/reports/export": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
}
