"""Security tests for the team's own app, as a pytest plugin (entry point ``pytest11``).

Nothing is imported here: pytest imports the plugin in every test run of every project that has
shieldwall installed, so the plugin module must stay cheap until a plan is configured.
"""

__all__: list[str] = []
