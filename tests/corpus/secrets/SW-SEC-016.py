oauth_client = "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"

sample_ref = "GOCSPX-xYTzXbr-MF2Immlg"

oauth_client = "GOCSPX-xYTzxxxxxxxxxxxxxxxxxxxxxxxx"
