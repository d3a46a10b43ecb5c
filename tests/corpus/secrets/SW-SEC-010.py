aws_access_key_id = "AKIAJ3JWK2UTG5DY2QIM"

sample_ref = "AKIAJ3JWK2UTG"

aws_access_key_id = "AKIAJ3xxxxxxxxxxxxxx"
