pulumi = "pul-3ebe4e6b910d010249fb3d575e26d4f110734ad2"

sample_ref = "pul-3ebe4e6b910d010249fb3d575"

pulumi = "pul-3ebe4e6bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
