ALGOLIA_ADMIN_KEY = "6c06b8cb142f58d259ab7ea8e7edf876"

sample_ref = "6c06b8cb142f58d259ab7"

ALGOLIA_ADMIN_KEY = "6c06b8cb14xxxxxxxxxxxxxxxxxxxxxx"
