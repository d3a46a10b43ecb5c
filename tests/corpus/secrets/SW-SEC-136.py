GROQ = "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"

sample_ref = "gsk_iSfoQlMdIGZYmJNpJ8DS9cZvJN4ht2LBm"

GROQ = "gsk_iSfoQlMdxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
