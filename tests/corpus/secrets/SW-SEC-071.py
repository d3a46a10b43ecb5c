npm_publish = "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"

npm_ref = "npm_5GhgKoduh9ura2fxIwKKqoEJxaSAI86mzVG3"

npm_publish = "npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
