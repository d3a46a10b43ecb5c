maps_key = "AIzaCgvjF0M7ltA0ZNSr-IdyUrmZPWo5VIHtBuA"

sample_ref = "AIzaCgvjF0M7ltA0ZNSr-IdyUr"

maps_key = "AIzaCgvjF0M7xxxxxxxxxxxxxxxxxxxxxxxxxxx"
