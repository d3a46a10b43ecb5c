rzp = "rzp_live_qBj0Z48kjOjEXB"

sample_ref = "rzp_live_qBj0Z4"

rzp = "rzp_livxxxxxxxxxxxxxxxx"
