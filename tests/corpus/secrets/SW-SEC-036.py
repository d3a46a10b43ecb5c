render = "rnd_036AuABFyqRXcgRUi5skm70R6OfKBV2i"

sample_ref = "rnd_036AuABFyqRXcgRUi5sk"

render = "rnd_036AuABFxxxxxxxxxxxxxxxxxxxxxxxx"
