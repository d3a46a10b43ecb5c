ps = "pscale_tkn_dm-kOxhzbMaeD_VfWNaI8bwimNkKqLBRpCO7IhLvg4F"

sample_ref = "pscale_tkn_dm-kOxhzbMaeD_VfWNa"

ps = "pscale_tkn_dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
