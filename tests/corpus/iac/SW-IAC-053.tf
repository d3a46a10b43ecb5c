resource "aws_lambda_function_url" "open" {
  function_name      = "fn"
  authorization_type = "NONE" # shieldwall: expect SW-IAC-053
}
resource "aws_lambda_function_url" "iam" {
  function_name      = "fn"
  authorization_type = "AWS_IAM" # shieldwall: expect-not SW-IAC-053
}
