INTERCOM_ACCESS_TOKEN = "dG9rOj_Pf4ZdAttxv1toaw7oFd07yZjGoQ-rN-KH-PRE2iL0TtHZWypZ4q-v="

sample_ref = "dG9rOj_Pf4ZdAttxv1toaw7oFd07yZ"

INTERCOM_ACCESS_TOKEN = "dG9rOj_Pf4Zdxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
