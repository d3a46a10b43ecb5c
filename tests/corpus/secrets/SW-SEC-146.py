FW = "fw_XKE6jZdrGN7guTdHsAfyQJx4"

sample_ref = "fw_XKE6jZdrGN7guTd"

FW = "fw_XKE6jZxxxxxxxxxxxxxxxxxx"
