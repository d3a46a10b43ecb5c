stripe = "sk_live_dq39Tw2uuRhwB6dT0C2dYl9kNf4WuhMe"

sample_ref = "sk_live_dq39Tw2uuRhwB6dT"

stripe = "sk_live_dq39xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
