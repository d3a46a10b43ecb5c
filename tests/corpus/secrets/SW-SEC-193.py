SK = "django-insecure-l&c=53mt^hbiv=z0cn#kuu0_cn64z!f4j=cl%nrymz31=vdtt8"

sample_ref = "django-insecure-l&c=53mt^hbiv=z0cn#kuu0_"

SK = "django-insecxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
