octo = "API-XQJYVUUCG1DKKG78ZWYTRJFYLD"

sample_ref = "API-XQJYVUUCG1DKKG78"

octo = "API-XQJYVUxxxxxxxxxxxxxxxxxxxx"
