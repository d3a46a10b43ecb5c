gl = "gloas-93fdb04a9ebaf903102cefc79bdf836e66c16aa08e60d242c911a56dec91eb5e"

sample_ref = "gloas-93fdb04a9ebaf903102cefc79bdf836e66c16aa0"

gl = "gloas-93fdb0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
