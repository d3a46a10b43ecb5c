LS = "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"

sample_ref = "lsv2_pt_c7a25b29fad06f261871a88812"

LS = "lsv2_pt_c7a2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
