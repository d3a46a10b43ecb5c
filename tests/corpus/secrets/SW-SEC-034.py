supa = "sbp_6fc574308cb3699a7c404fa6c28d7145342926a3"

sample_ref = "sbp_6fc574308cb3699a7c404fa6c"

supa = "sbp_6fc57430xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
