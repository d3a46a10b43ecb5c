TWITCH_CLIENT_SECRET = "i9mi35f91zk0g28axarmp8dp8gvgv5"

sample_ref = "i9mi35f91zk0g28axarm"

TWITCH_CLIENT_SECRET = "i9mi35f91zxxxxxxxxxxxxxxxxxxxx"
