GITHUB_CLIENT_SECRET = "77fc0543603efa488f6e6d87eaaed7026ae9cd88"

sample_ref = "77fc0543603efa488f6e6d87ea"

GITHUB_CLIENT_SECRET = "77fc0543603exxxxxxxxxxxxxxxxxxxxxxxxxxxx"
