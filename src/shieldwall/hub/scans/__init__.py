"""Scans: uploads, imports, deduplication and the finding lifecycle."""
