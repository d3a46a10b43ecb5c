LAUNCHDARKLY_SDK_KEY = "sdk-52ac098d-958a-46c8-aad7-ccbb6f1bd1ea"

sample_ref = "sdk-52ac098d-958a-46c8-aad7-cc"

LAUNCHDARKLY_SDK_KEY = "sdk-52ac098dxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
