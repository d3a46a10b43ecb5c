"""Passive checks (read responses) and active checks (send confirmed attacks)."""
