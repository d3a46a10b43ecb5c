HF = "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"

sample_ref = "hf_JiNTUgmLgmDTkgOHzOwqx"

HF = "hf_JiNTUgmLgxxxxxxxxxxxxxxxxxxxxxxxxx"
