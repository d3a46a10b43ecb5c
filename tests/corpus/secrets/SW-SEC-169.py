VAULT_TOKEN = "s.H7aI5Hez7seFVBxawOcS44Jj"

sample_ref = "s.H7aI5Hez7seFVBx"

VAULT_TOKEN = "s.H7aI5Hxxxxxxxxxxxxxxxxxx"
