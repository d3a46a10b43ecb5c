harness = "pat.cAzW4llNj_vGE3nFnydgem.c98deae051379ed043dad5d2.BjENJEQ14BZLsUPKZzWp"

sample_ref = "pat.cAzW4llNj_vGE3nFnydgem.c98deae051379ed043dad"

harness = "pat.cAzW4llNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
