TRAVIS_TOKEN = "neaB27UUHkqKPE0bmYki9q"

sample_ref = "neaB27UUHkqKPE"

TRAVIS_TOKEN = "neaB27Uxxxxxxxxxxxxxxx"
