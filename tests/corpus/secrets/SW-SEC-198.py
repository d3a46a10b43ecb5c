NOTION = "secret_XQikQf5I03tEixpTrPxJhuOmIBmUBPxjmhBFPiKcZ4V"

sample_ref = "secret_XQikQf5I03tEixpTrPxJhuOmIB"

NOTION = "secret_XQikQxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
