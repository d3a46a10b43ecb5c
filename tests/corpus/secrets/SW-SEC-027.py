tc_sid = "AKID6V7dSS3WZbp4rjXHCj5X0IIvdMUtk39M"

sample_ref = "AKID6V7dSS3WZbp4rjXHCj5X"

tc_sid = "AKID6V7dSS3Wxxxxxxxxxxxxxxxxxxxxxxxx"
