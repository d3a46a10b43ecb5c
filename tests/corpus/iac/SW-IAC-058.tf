resource "aws_ecr_repository" "mutable" { # shieldwall: expect SW-IAC-058
  name = "a"
  image_scanning_configuration {
    scan_on_push = true
  }
}
resource "aws_ecr_repository" "immutable" {
  name                 = "b"
  image_tag_mutability = "IMMUTABLE" # shieldwall: expect-not SW-IAC-058
  image_scanning_configuration {
    scan_on_push = true
  }
}
