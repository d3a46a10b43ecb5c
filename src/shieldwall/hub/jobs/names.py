"""Celery task names, shared by the API process (which queues) and the worker (which runs)."""

from __future__ import annotations

IMPORT_TASK = "shieldwall.hub.import_scan"
MAINTENANCE_TASK = "shieldwall.hub.maintenance"
SCAN_FOLLOWUP_TASK = "shieldwall.hub.scan_followup"
MENTIONS_TASK = "shieldwall.hub.mentions"
CLOCK_TASK = "shieldwall.hub.clock_notifications"
