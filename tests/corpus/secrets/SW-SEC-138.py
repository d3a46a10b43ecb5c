PPLX = "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"

sample_ref = "pplx-dvb5GcfgcPpchAc3zKP3rkbMYr2Wnb"

PPLX = "pplx-dvb5Gcfxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
