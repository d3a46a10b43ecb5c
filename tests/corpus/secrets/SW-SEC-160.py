HONEYCOMB_API_KEY = "8YxNm8rqFXVx5mmeNtCYN1"

sample_ref = "8YxNm8rqFXVx5m"

HONEYCOMB_API_KEY = "8YxNm8rxxxxxxxxxxxxxxx"
