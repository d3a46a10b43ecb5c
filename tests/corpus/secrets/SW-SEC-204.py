FIGMA = "figd_ZlGKU54FVS_eRTC10w48yNjKBzicmE110krxNq4U"

sample_ref = "figd_ZlGKU54FVS_eRTC10w48yNjKB"

FIGMA = "figd_ZlGKU54xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
