MIRROR = "https://deploy:O4hq30aVJML6GQSGTT@artifacts.shopcorp.io/simple/"

MIRROR = "https://user:<password>@artifacts.shopcorp.io/simple/"

MIRROR = "https://artifacts.shopcorp.io:8443/simple/"

MAIL = "mailto:someone@shopcorp.io"
