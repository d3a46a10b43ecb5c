COHERE_API_KEY = "Efk7BDcnS2gZpC5fQLTKbUJJCdcJyCogrlgtr61w"

sample_ref = "Efk7BDcnS2gZpC5fQLTKbUJJCd"

COHERE_API_KEY = "Efk7BDcnS2gZxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
