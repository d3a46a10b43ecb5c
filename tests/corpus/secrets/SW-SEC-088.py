stripe = "sk_test_soUHTNT1ntD1uI0u1TZWa0k9ogSgkjyg"

sample_ref = "sk_test_soUHTNT1ntD1uI0u"

stripe = "sk_test_soUHxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
