gl = "glrt-jqZHDkOE9jJCREJ05qCD"

sample_ref = "glrt-jqZHDkOE9jJ"

gl = "glrt-jqZxxxxxxxxxxxxxxxxx"
