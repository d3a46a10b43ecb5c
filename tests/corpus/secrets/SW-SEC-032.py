SCW_SECRET_KEY = "197a5d8c-67e8-4a49-aae6-bf567f214757"

sample_ref = "197a5d8c-67e8-4a49-aae6-"

SCW_SECRET_KEY = "197a5d8c-67exxxxxxxxxxxxxxxxxxxxxxxx"
