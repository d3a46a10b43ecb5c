CF = "CFPAT-FzgkuCKgptfdbdmmyW6Ic723AFyNlndnHCdTFnD8H1P"

sample_ref = "CFPAT-FzgkuCKgptfdbdmmyW6Ic723AF"

CF = "CFPAT-FzgkuCxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
