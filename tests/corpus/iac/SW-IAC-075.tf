resource "aws_codebuild_project" "dind" {
  name = "a"
  environment {
    image           = "aws/codebuild/standard:7.0"
    privileged_mode = true # shieldwall: expect SW-IAC-075
  }
}
resource "aws_codebuild_project" "plain" {
  name = "b"
  environment {
    image = "aws/codebuild/standard:7.0" # shieldwall: expect-not SW-IAC-075
  }
}
