OPENAI = "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"

sample_ref = "sk-H2gfOW75ZYVFSzNkq2hhT3BlbkFJG1T"

OPENAI = "sk-H2gfOW75Zxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
