"""The hub's browser pages: server-rendered Jinja2 templates, forms with CSRF tokens, SVG charts."""

from __future__ import annotations

from shieldwall.hub.web.install import install_web

__all__ = ["install_web"]
