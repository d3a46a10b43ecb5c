shop = "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"

sample_ref = "shpat_072405c3406c1b26d7e"

shop = "shpat_072405xxxxxxxxxxxxxxxxxxxxxxxxxx"
