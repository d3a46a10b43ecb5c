"""A deliberately vulnerable web application for the DAST tests (never run it outside tests).

Every vulnerable route has a safe twin; ``ROUTES`` in ``app.py`` lists which rule each one must
(and must not) trigger, so the end-to-end test can compare the scanner's findings exactly.
"""

from tests.servers.vulnapp.app import EXPECTED, create_app
from tests.servers.vulnapp.serve import running_vulnapp

__all__ = ["EXPECTED", "create_app", "running_vulnapp"]
