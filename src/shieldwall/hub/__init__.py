"""The hub: a vulnerability management server (FastAPI, SQLAlchemy, Alembic, Celery).

``create_app`` and ``HubSettings`` are loaded on first use, so that importing a light part of
the hub (an importer, from the plugin registry) does not load the web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shieldwall.hub.app import create_app
    from shieldwall.hub.settings import HubSettings

__all__ = ["HubSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from shieldwall.hub.app import create_app

        return create_app
    if name == "HubSettings":
        from shieldwall.hub.settings import HubSettings

        return HubSettings
    raise AttributeError(name)
