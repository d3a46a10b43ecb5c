resource "aws_sagemaker_notebook_instance" "online" { # shieldwall: expect SW-IAC-070
  name          = "a"
  instance_type = "ml.t3.medium"
  root_access   = "Disabled"
}
resource "aws_sagemaker_notebook_instance" "offline" {
  name                   = "b"
  instance_type          = "ml.t3.medium"
  root_access            = "Disabled"
  direct_internet_access = "Disabled" # shieldwall: expect-not SW-IAC-070
}
