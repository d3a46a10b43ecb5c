sg = "sgp_5332a9d5972e6f68012b5777ebdfa0e9337c0fad"

sample_ref = "sgp_5332a9d5972e6f68012b5777e"

sg = "sgp_5332a9d5xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
