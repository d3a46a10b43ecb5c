"""Triage: status decisions, risk acceptances, assignment and comments, all audited."""
