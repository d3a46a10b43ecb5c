shop = "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"

sample_ref = "shpss_5741781a3163c034b8b"

shop = "shpss_574178xxxxxxxxxxxxxxxxxxxxxxxxxx"
