graf = "glsa_SBoQzzvslgXhabk2kIoUzn3TwCTZBigg_7a27a4c4"

sample_ref = "glsa_SBoQzzvslgXhabk2kIoUzn3Tw"

graf = "glsa_SBoQzzvxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
