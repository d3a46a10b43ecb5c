"""Allow ``python -m shieldwall``."""

from __future__ import annotations

from shieldwall.cli.app import main

if __name__ == "__main__":
    main()
