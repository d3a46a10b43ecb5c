sonar = "sqp_9a5f1c687f038384387de7613109b90d7f2a5a59"

sample_ref = "sqp_9a5f1c687f038384387de7613"

sonar = "sqp_9a5f1c68xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
