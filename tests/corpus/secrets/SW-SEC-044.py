GITHUB_TOKEN = "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"

gh_ref = "gho_4tNjiP7PkFF0FPAsUv1UzIy2eesXS428NcsA"

GITHUB_TOKEN = "gho_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
