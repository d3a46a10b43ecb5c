duffel = "duffel_live_9yAZkYj8qyDnl1jfSimQgNAibaBDypIge7nhdQOTcgh"

sample_ref = "duffel_live_9yAZkYj8qyDnl1jfSimQgNAi"

duffel = "duffel_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
