mws_auth = "amzn.mws.e4fdc3e6-efaf-49cd-ada6-ac8553cbb991"

sample_ref = "amzn.mws.e4fdc3e6-efaf-49cd-ad"

mws_auth = "amzn.mws.e4fxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
