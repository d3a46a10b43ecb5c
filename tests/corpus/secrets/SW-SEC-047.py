GITHUB_TOKEN = "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"

gh_ref = "ghr_DpGf2h9ALt1QNsfskq4oDnPq0PF5Gq482EsA"

GITHUB_TOKEN = "ghr_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
