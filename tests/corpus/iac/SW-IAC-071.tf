resource "aws_sagemaker_notebook_instance" "root" {
  name                   = "a"
  direct_internet_access = "Disabled"
  root_access            = "Enabled" # shieldwall: expect SW-IAC-071
}
resource "aws_sagemaker_notebook_instance" "user" {
  name                   = "b"
  direct_internet_access = "Disabled"
  root_access            = "Disabled" # shieldwall: expect-not SW-IAC-071
}
