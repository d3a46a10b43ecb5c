slack = "xoxa-2-87694230465-tixspMAlXXJFWjCRc3p06JuJQ6rv6dw0Hu7KlYlw"

sample_ref = "xoxa-2-87694230465"

slack = "xoxa-2-87694xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
