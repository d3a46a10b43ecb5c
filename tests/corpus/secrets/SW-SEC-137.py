REPLICATE = "r8_CXkZkj8wKIsCwhQWV4q7gOpNumwC689SUpYau"

sample_ref = "r8_CXkZkj8wKIsCwhQWV4q7gOp"

REPLICATE = "r8_CXkZkj8wKxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
