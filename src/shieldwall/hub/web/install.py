"""Wire the pages into the app: routers, static files, and HTML error pages outside the API."""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from shieldwall.hub.errors import HubError
from shieldwall.hub.web.alerts import router as alert_pages_router
from shieldwall.hub.web.auth import LoginRequiredError
from shieldwall.hub.web.forms import router as forms_router
from shieldwall.hub.web.issues import router as issues_router
from shieldwall.hub.web.pages import router as pages_router
from shieldwall.hub.web.rendering import STATIC, render
from shieldwall.hub.web.settings import router as settings_router
from shieldwall.hub.web.threatmodels import router as threatmodel_pages_router

_TITLES = {403: "Not allowed", 404: "Not found", 409: "Conflict", 422: "Invalid request"}


def install_web(app: FastAPI, api_prefix: str) -> None:
    """Add the browser pages to ``app``; API paths keep their JSON errors."""
    api_handler = app.exception_handlers[HubError]

    async def hub_error(request: Request, exc: Exception) -> Response:
        """JSON for the API, an HTML page for the browser."""
        if request.url.path.startswith(api_prefix):
            answer = api_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        from shieldwall.hub.app import status_for  # the app imports this module

        assert isinstance(exc, HubError)  # noqa: S101 - registered for HubError only
        code = status_for(exc)
        if code == 401:
            return RedirectResponse("/login", status_code=303)
        return render(
            "error.html", code, title=_TITLES.get(code, "Error"), message=str(exc), viewer=None
        )

    async def login_required(request: Request, exc: Exception) -> Response:
        """Send the browser to the login page."""
        del request
        assert isinstance(exc, LoginRequiredError)  # noqa: S101 - registered for it only
        return RedirectResponse(exc.target, status_code=303)

    app.add_exception_handler(HubError, hub_error)
    app.add_exception_handler(LoginRequiredError, login_required)
    app.include_router(pages_router)
    app.include_router(forms_router)
    app.include_router(settings_router)
    app.include_router(issues_router)
    app.include_router(threatmodel_pages_router)
    app.include_router(alert_pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
