GITHUB_TOKEN = "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"

gh_ref = "ghp_DKqmQFuTr7SV0tgrTexGEL1UcanPzq0x9uuA"

GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
