MATTERMOST_TOKEN = "7e024ptbnjpi7t3e1vppu4d8lp"

sample_ref = "7e024ptbnjpi7t3e1"

MATTERMOST_TOKEN = "7e024ptbxxxxxxxxxxxxxxxxxx"
