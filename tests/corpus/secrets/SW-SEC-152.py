nr = "NRII-_1YSz38jXZljmRcRD6TP-oyMztjraXUB"

sample_ref = "NRII-_1YSz38jXZljmRcRD6T"

nr = "NRII-_1YSz38xxxxxxxxxxxxxxxxxxxxxxxxx"
