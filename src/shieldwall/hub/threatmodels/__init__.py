"""Threat models in the hub: versions uploaded, threats with their status, diffs, findings."""
