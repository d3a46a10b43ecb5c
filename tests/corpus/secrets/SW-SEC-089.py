stripe_wh = "whsec_oVtyIqn5LzXMLfiour8kyHDNdeWJNUh2"

sample_ref = "whsec_oVtyIqn5LzXMLfiour8"

stripe_wh = "whsec_oVtyIqxxxxxxxxxxxxxxxxxxxxxxxxxx"
