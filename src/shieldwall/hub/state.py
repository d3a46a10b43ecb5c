"""What the app builds in its lifespan and hands to requests: engine, sessions, job runner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.ci.orgpolicy import OrgPolicy
from shieldwall.hub.jobs.runner import JobRunner
from shieldwall.hub.settings import HubSettings


@dataclass(frozen=True, slots=True)
class HubState:
    """Per-app resources (never module-level: tests build many apps side by side)."""

    settings: HubSettings
    engine: Engine
    sessions: sessionmaker[Session]
    jobs: JobRunner
    org_policy: OrgPolicy | None = None
