gl = "glcbt-CG_zDH1fWQIz60elZfW5Fzm"

sample_ref = "glcbt-CG_zDH1fWQIz6"

gl = "glcbt-CG_xxxxxxxxxxxxxxxxxxxx"
