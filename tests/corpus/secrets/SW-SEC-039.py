doppler = "dp.pt.UH4mn79hVxFQd3WzBYPfMd5PWqdGaMRf2FYGRh5pECF"

sample_ref = "dp.pt.UH4mn79hVxFQd3WzBYPfMd5PWq"

doppler = "dp.pt.UH4mn7xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
