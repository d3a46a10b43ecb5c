"""GitLab CI keywords as the CI/CD YAML syntax reference (docs.gitlab.com/ee/ci/yaml/) lists them.

GitLab publishes no schema file we can vendor here, so the test checks the generated pipeline
against these keyword lists and the value shapes the reference gives.
"""

GLOBAL_KEYWORDS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "spec", "image", "services",
     "cache", "before_script", "after_script"}
)  # fmt: skip
JOB_KEYWORDS = frozenset(
    {"after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
     "dast_configuration", "dependencies", "environment", "extends", "hooks", "identity",
     "id_tokens", "image", "inherit", "interruptible", "manual_confirmation", "needs", "pages",
     "parallel", "release", "resource_group", "retry", "rules", "script", "run", "secrets",
     "services", "stage", "tags", "timeout", "trigger", "variables", "when"}
)  # fmt: skip
ARTIFACTS_KEYWORDS = frozenset(
    {"paths", "exclude", "expire_in", "expose_as", "name", "public", "access", "reports",
     "untracked", "when"}
)  # fmt: skip
CACHE_KEYWORDS = frozenset(
    {"key", "paths", "untracked", "unprotect", "when", "policy", "fallback_keys"}
)  # fmt: skip
RULES_KEYWORDS = frozenset(
    {"if", "changes", "exists", "allow_failure", "needs", "variables", "when", "interruptible"}
)  # fmt: skip
SERVICE_KEYWORDS = frozenset(
    {"name", "alias", "entrypoint", "command", "variables", "pull_policy", "docker", "kubernetes"}
)  # fmt: skip
WHEN_VALUES = frozenset({"on_success", "on_failure", "never", "always", "manual", "delayed"})
