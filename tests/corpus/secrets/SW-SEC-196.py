OKTA_API_TOKEN = "00bE3IEq0aQiWaOsg5mUZDfnCru1UC46AKfe0iapUx"

sample_ref = "00bE3IEq0aQiWaOsg5mUZDfnCru1"

OKTA_API_TOKEN = "00bE3IEq0aQixxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
