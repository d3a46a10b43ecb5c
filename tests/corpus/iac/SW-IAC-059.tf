resource "aws_ecr_repository" "unscanned" {
  name                 = "a"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = false # shieldwall: expect SW-IAC-059
  }
}
resource "aws_ecr_repository" "scanned" {
  name                 = "b"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true # shieldwall: expect-not SW-IAC-059
  }
}
