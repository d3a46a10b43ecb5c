stripe = "rk_live_Ap3M3UkmvKgWnIRFvmLAo9J9Z7i3wnoS"

sample_ref = "rk_live_Ap3M3UkmvKgWnIRF"

stripe = "rk_live_Ap3Mxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
