BUGSNAG_API_KEY = "c17f24c4965b016b96ce24b9df119c6e"

sample_ref = "c17f24c4965b016b96ce2"

BUGSNAG_API_KEY = "c17f24c496xxxxxxxxxxxxxxxxxxxxxx"
