slack = "xoxp-93911325141-28782812165-217525334465-dea20527234b05689582e31e3891d206"

sample_ref = "xoxp-93911325141-28782812165-217525334465-dea2052"

slack = "xoxp-9391132xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
