PM = "PMAK-75167dd32cb833f9ac395a75-7b70fa3091aa3db154ccccae8cf2698086"

sample_ref = "PMAK-75167dd32cb833f9ac395a75-7b70fa3091aa"

PM = "PMAK-75167ddxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
