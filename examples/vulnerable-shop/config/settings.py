"""Production settings of the shop. Deliberately leaky: every secret here is listed in EXPECTED.md."""

import os

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

# Object storage for product images.
AWS_REGION = "eu-west-1"
AWS_ACCESS_KEY_ID = "AKIAVQJXXVBOTHD2WTFL"
AWS_SECRET_ACCESS_KEY = "pdzPaEMM1ZA7V0FhHVJWDBt2hWdQZUm14QhoxhLP"

# The primary database.
DATABASE_URL = "postgresql://shop:SnH6av1Ib8pp1xxXHU@db.internal:5432/shop"

# Payments.
STRIPE_API_KEY = "sk_live_0BScJXj675eVq30XYqaNUDqN9Nifp28u"
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
