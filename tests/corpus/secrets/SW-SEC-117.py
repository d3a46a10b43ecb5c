MANDRILL_KEY = "md-At8Crm4D4vw4Q4tqEHed2w"

sample_ref = "md-At8Crm4D4vw4Q"

MANDRILL_KEY = "md-At8Crxxxxxxxxxxxxxxxxx"
