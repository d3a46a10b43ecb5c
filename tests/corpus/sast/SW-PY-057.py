import ftplib

ftp = ftplib.FTP("ftp.example.com")  # shieldwall: expect SW-PY-057
ftps = ftplib.FTP_TLS("ftp.example.com")  # shieldwall: expect-not SW-PY-057
