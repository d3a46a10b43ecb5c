gl = "glft-ihxlK01wiQFWuWJAm-0s"

sample_ref = "glft-ihxlK01wiQF"

gl = "glft-ihxxxxxxxxxxxxxxxxxx"
