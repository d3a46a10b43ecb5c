"""Monitoring alerts in the hub: ingest from ``shieldwall monitor``, list, triage, link."""
