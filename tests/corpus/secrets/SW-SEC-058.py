gl = "glimt-DUxqfvO4JLNW9a_PVdN_WuD2M"

sample_ref = "glimt-DUxqfvO4JLNW9a"

gl = "glimt-DUxqxxxxxxxxxxxxxxxxxxxxx"
