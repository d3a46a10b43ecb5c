square = "sq0csp-WNZpkGlnxVh0IeQftMV0_s3RDbRf_nM-rJywwW8Bvqe"

sample_ref = "sq0csp-WNZpkGlnxVh0IeQftMV0_s3RDb"

square = "sq0csp-WNZpkxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
