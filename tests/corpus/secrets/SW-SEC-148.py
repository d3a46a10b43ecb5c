DD_API_KEY = "0fc9aaf5f7b1bbcc738491da18f2531c"

sample_ref = "0fc9aaf5f7b1bbcc73849"

DD_API_KEY = "0fc9aaf5f7xxxxxxxxxxxxxxxxxxxxxx"
