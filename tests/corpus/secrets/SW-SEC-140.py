OR = "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"

sample_ref = "sk-or-v1-8eb8a5e8341ddecf24cc2d0bbb252e1725a092c"

OR = "sk-or-v1-8ebxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
