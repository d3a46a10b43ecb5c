gl = "glpat-3mObhTbXVTw_qar1VSFU"

sample_ref = "glpat-3mObhTbXVTw"

gl = "glpat-3mxxxxxxxxxxxxxxxxxx"
