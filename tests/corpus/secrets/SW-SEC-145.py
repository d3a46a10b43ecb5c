WANDB_API_KEY = "15a068ed66a7600c051a38c925bf1ef5f1fa47ea"

sample_ref = "15a068ed66a7600c051a38c925"

WANDB_API_KEY = "15a068ed66a7xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
