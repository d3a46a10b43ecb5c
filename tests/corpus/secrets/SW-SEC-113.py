sg = "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"

sample_ref = "SG.ZcjuEmhVWugR8Ym9381nca._TMWbcCzabvDOXowbkt4"

sg = "SG.ZcjuEmhVWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
