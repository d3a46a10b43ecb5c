bb = "ATBBrQaTvTDN3JQKZLcJ3F2elsOaz9p3bfB4"

sample_ref = "ATBBrQaTvTDN3JQKZLcJ"

bb = "ATBBrQaTvTDNxxxxxxxxxxxxxxxxxxxxxxxx"
