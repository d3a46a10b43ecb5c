docker = "dckr_pat_G3vUYoWs6Tpu9YmCCS_C93I9xL9"

sample_ref = "dckr_pat_G3vUYoWs6Tpu9Ym"

docker = "dckr_pat_G3vxxxxxxxxxxxxxxxxxxxxxxxx"
