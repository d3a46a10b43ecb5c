SLACK_URL = "https://hooks.slack.com/services/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"

SLACK_URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"

docs = "https://hooks.slack.com/services/"
