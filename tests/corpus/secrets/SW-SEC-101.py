shippo = "shippo_live_396eecadae9d068336116f56333ee6d28a9745d4"

sample_ref = "shippo_live_396eecadae9d068336116f"

shippo = "shippo_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
