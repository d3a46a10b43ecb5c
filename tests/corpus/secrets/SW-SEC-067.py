SNYK_TOKEN = "99088e8e-66f8-4f22-a009-cf8bcc37f3a9"

sample_ref = "99088e8e-66f8-4f22-a009-cf8bcc"

SNYK_TOKEN = "99088e8e-66fxxxxxxxxxxxxxxxxxxxxxxxx"
