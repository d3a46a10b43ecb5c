dbx = "dapid880441a675b320f05e678e16b215443"

sample_ref = "dapid880441a675b320f05e6"

dbx = "dapid880441axxxxxxxxxxxxxxxxxxxxxxxx"
