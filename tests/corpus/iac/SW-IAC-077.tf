resource "aws_transfer_server" "ftp" {
  protocols = ["SFTP", "FTP"] # shieldwall: expect SW-IAC-077
}
resource "aws_transfer_server" "sftp" {
  protocols = ["SFTP", "FTPS"] # shieldwall: expect-not SW-IAC-077
}
