ANACONDA_TOKEN = "an-0801d57e-4c02-4d38-afdb-4349558d6c03"

sample_ref = "an-0801d57e-4c02-4d3"

ANACONDA_TOKEN = "an-0801d57e-xxxxxxxxxxxxxxxxxxxxxxxxxxx"
