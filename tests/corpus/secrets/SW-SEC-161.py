PAGERDUTY_TOKEN = "BBoGGXxXUeRRzJWnnqJi"

sample_ref = "BBoGGXxXUeRRz"

PAGERDUTY_TOKEN = "BBoGGXxxxxxxxxxxxxxx"
