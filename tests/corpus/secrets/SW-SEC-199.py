LINEAR = "lin_api_lYFBaWvss6MBJ04p9n7GMQlrxsQoulJJ7SCUuf59"

sample_ref = "lin_api_lYFBaWvss6MBJ04p9n7GMQlr"

LINEAR = "lin_api_lYFBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
