SENTRY = "https://fe7e892fc7e4a61fc2d305da0e88d05d@o539918.ingest.sentry.io/0490541"

SENTRY = "https://<key>@o0.ingest.sentry.io/0"

SENTRY = "https://280f3351a0b9c33c@sentry.io/1"
