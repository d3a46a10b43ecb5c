mg = "key-bf20fcd53de8f0063ba6f023fb76fc2a"

sample_ref = "key-bf20fcd53de8f0063ba6"

mg = "key-bf20fcd5xxxxxxxxxxxxxxxxxxxxxxxx"
