mc = "fda316b083879c09288cef162e13b268-us14"

sample_ref = "fda316b083879c09288c-us14"

mc = "fda316b08387xxxxxxxxxxxxxxxxxxxxxxxxx"
