GOCARDLESS_ACCESS = "live_OgPCc8hVQjOQ2UT1VVn9LXyaCXPO9Cf8MIEaj2NL"

sample_ref = "live_OgPCc8hVQjOQ2UT1VVn9LXyaC"

GOCARDLESS_ACCESS = "live_OgPCc8hxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
