gl = "glptt-66fe7f7e57d1fab24bb0b7680cfb2d72e64952a2"

sample_ref = "glptt-66fe7f7e57d1fab24bb0b768"

gl = "glptt-66fe7fxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
