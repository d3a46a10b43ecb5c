bt = "access_token$production$7zb01awyp6kak7yc$f89625ed9582df13e6177aa69b4295ae"

sample_ref = "access_token$production$7zb01awyp6kak7yc$f89625e"

bt = "access_tokenxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
