cargo = "cioUoM5m3Hd9BAz7bXUcfJEESCKzuuj6B3b"

sample_ref = "cioUoM5m3Hd9BAz7bXUcfJE"

cargo = "cioUoM5m3Hdxxxxxxxxxxxxxxxxxxxxxxxx"
