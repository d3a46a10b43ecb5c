"""The SLA policy edited in the settings page; it overrides ``SHIELDWALL_SLA`` once saved."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shieldwall.hub.db.models import HubOption
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.settings import SlaPolicy

SLA_KEY = "sla"


def load_sla(session: Session, default: SlaPolicy) -> SlaPolicy:
    """The stored policy, or ``default`` (the process settings) when none was saved."""
    row = session.get(HubOption, SLA_KEY)
    return default if row is None else SlaPolicy.model_validate(row.value)


def store_sla(session: Session, policy: SlaPolicy, actor: str) -> None:
    """Save the policy (the caller checks rights, recomputes due dates and audits)."""
    row = session.get(HubOption, SLA_KEY)
    if row is None:
        session.add(HubOption(key=SLA_KEY, value=policy.model_dump(), updated_by=actor))
    else:
        row.value, row.updated_at, row.updated_by = policy.model_dump(), utcnow(), actor
