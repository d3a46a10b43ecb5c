DEEPGRAM_API_KEY = "2613d0efa5bae00e319bf8cb3f01113d2039b939"

sample_ref = "2613d0efa5bae00e319bf8cb3f"

DEEPGRAM_API_KEY = "2613d0efa5baxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
