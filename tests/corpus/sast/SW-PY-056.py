import paramiko

client = paramiko.SSHClient()
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # shieldwall: expect SW-PY-056
client.set_missing_host_key_policy(paramiko.RejectPolicy())  # shieldwall: expect-not SW-PY-056
