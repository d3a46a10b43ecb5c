gl = "gldt-Vr4BV-z37zPJRLLaOAYf"

sample_ref = "gldt-Vr4BV-z37zP"

gl = "gldt-Vr4xxxxxxxxxxxxxxxxx"
