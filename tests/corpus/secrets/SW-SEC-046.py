GITHUB_TOKEN = "ghs_HVf2EHmnpd8HlV4OlAjAK2S6BXCnT21TZUUF"

gh_ref = "ghs_ZOdXnyH2YJYvmRQoErlgT0K8iKqmYi3SJXpA"

GITHUB_TOKEN = "ghs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
