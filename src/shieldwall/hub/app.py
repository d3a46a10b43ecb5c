"""``create_app(settings)``: the hub's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from shieldwall import __version__
from shieldwall.ci.orgpolicy import load_policy
from shieldwall.hub.alerts.router import router as alerts_router
from shieldwall.hub.audit.router import router as audit_router
from shieldwall.hub.auth.router import router as auth_router
from shieldwall.hub.db.engine import make_engine, make_session_factory
from shieldwall.hub.db.migrate import upgrade
from shieldwall.hub.errors import (
    AuthenticationError,
    ConflictError,
    HubError,
    ImportFormatError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from shieldwall.hub.findings.router import router as findings_router
from shieldwall.hub.jobs.followups import start_periodic
from shieldwall.hub.jobs.runner import make_runner
from shieldwall.hub.metrics.router import router as metrics_router
from shieldwall.hub.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from shieldwall.hub.projects.router import router as projects_router
from shieldwall.hub.scans.router import router as scans_router
from shieldwall.hub.secrets.router import kv_router
from shieldwall.hub.secrets.router import router as secrets_router
from shieldwall.hub.settings import HubSettings
from shieldwall.hub.state import HubState
from shieldwall.hub.threatmodels.router import router as threatmodels_router
from shieldwall.hub.triage.router import router as triage_router

API_PREFIX = "/api/v1"

_STATUS: tuple[tuple[type[HubError], int], ...] = (
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (AuthenticationError, 401),
    (RateLimitedError, 429),
    (ConflictError, 409),
    (InvalidRequestError, 422),
    (ImportFormatError, 422),
)


def status_for(error: HubError) -> int:
    """The HTTP status of a hub error."""
    for kind, code in _STATUS:
        if isinstance(error, kind):
            return code
    return 400


async def _hub_error(request: Request, exc: Exception) -> JSONResponse:
    del request
    assert isinstance(exc, HubError)  # noqa: S101 - registered for HubError only
    code = status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
    return JSONResponse({"detail": str(exc)}, status_code=code, headers=headers)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    # The job runner already retried; the transaction was rolled back, so retrying is safe.
    del request, exc
    return JSONResponse(
        {"detail": "the database is unavailable; nothing was saved, retry the request"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def create_app(settings: HubSettings) -> FastAPI:
    """Build the app; the engine, migrations and job runner are set up in the lifespan.

    A malformed organisation policy stops here, before serving, with its line.
    """
    org_policy = load_policy(settings.policy_file) if settings.policy_file else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Build the engine (migrating it) and the job runner; dispose of the engine at exit."""
        engine = make_engine(settings.database_url)
        if settings.migrate_on_start:
            upgrade(engine)
        sessions = make_session_factory(engine)
        runner = make_runner(sessions, settings)
        app.state.hub = HubState(settings, engine, sessions, runner, org_policy)
        periodic = start_periodic(sessions, settings)
        try:
            yield
        finally:
            if periodic is not None:
                periodic.stop()
            app.state.hub.jobs.close()
            engine.dispose()

    app = FastAPI(
        title="shieldwall hub",
        version=__version__,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(OperationalError, _database_error)
    for router in (
        auth_router,
        projects_router,
        scans_router,
        findings_router,
        triage_router,
        metrics_router,
        audit_router,
        secrets_router,
        threatmodels_router,
        alerts_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(kv_router)  # Vault's KV v2 API lives under /v1, as clients expect

    # Imported here: the pages import ``status_for`` from this module.
    from shieldwall.hub.web import install_web

    install_web(app, API_PREFIX)

    @app.get(f"{API_PREFIX}/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness check (no authentication)."""
        return {"status": "ok", "version": __version__}

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=settings.max_request_bytes,
        upload_limit=settings.max_upload_bytes,
    )
    return app
