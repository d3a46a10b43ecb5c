ali_ak = "LTAIgy2YkVEJJkyGXzdRKSKP"

sample_ref = "LTAIgy2YkVEJJkyG"

ali_ak = "LTAIgy2Yxxxxxxxxxxxxxxxx"
