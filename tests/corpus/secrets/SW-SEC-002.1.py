# Hardcoded passwords
DB_PASSWORD = "Tr0ub4dor&3x!"  # shieldwall: expect SW-SEC-002
conn = psycopg2.connect(host="db", user="shop", password="s3cure-Sh0p-2024")  # shieldwall: expect SW-SEC-002
admin_pwd = 'Adm1n!Passw0rdZ'  # shieldwall: expect SW-SEC-002

DB_PASSWORD = os.getenv("DB_PASSWORD")  # shieldwall: expect-not SW-SEC-002
password = "changeme"  # shieldwall: expect-not SW-SEC-002
password = "password"  # shieldwall: expect-not SW-SEC-002
password_field = "user_password_input"  # shieldwall: expect-not SW-SEC-002
PASSWORD_MIN_LENGTH = "12"  # shieldwall: expect-not SW-SEC-002
password = "hunter"  # shieldwall: expect-not SW-SEC-002
password = "********"  # shieldwall: expect-not SW-SEC-002
