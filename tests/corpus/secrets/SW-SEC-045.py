GITHUB_TOKEN = "ghu_JrmyNiEwRne4aNKMTfTVUjeBu1NdIc00Xwq5"

gh_ref = "ghu_YDES3AFi3tmiITztHKecsulgmP0LdT0qRMeA"

GITHUB_TOKEN = "ghu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
