aws_secret_access_key = "To6b3cjq7qBwEnG7uwYIfZuljZ4WAfWlr+uYu9ex"

sample_ref = "To6b3cjq7qBwEnG7uwYIfZuljZ"

aws_secret_access_key = "To6b3cjq7qBwxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
