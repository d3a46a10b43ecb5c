bk = "bkua_b983dd61adf0ca46ac353c04edd5ade2a8fa3c8c"

sample_ref = "bkua_b983dd61adf0ca46ac353c04e"

bk = "bkua_b983dd6xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
