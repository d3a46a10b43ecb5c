DATABASE_URL = "postgresql://shop:ZpXid8AVuPCsIva0@db.internal:5432/shop"

BROKER = "amqps://worker:ADFkOZ2RHQGSujezxHvO@mq.internal/vhost"

DATABASE_URL = "postgresql://shop:${DB_PASSWORD}@db.internal:5432/shop"

DATABASE_URL = "postgresql://user:password@localhost/db"

DOC = "mysql+pymysql://scott:tiger@localhost/test"

CACHE = "redis://cache.internal:6379/0"
