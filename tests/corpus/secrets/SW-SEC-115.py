MAILGUN_WEBHOOK_SIGNING_KEY = "2f3d61567f7615bf3fa088bd74fd8335-9b7ffeff-f78f5e83"

sample_ref = "2f3d61567f7615bf3fa088bd74fd8335"

MAILGUN_WEBHOOK_SIGNING_KEY = "2f3d61567f76xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
