resource "aws_lambda_function" "untraced" { # shieldwall: expect SW-IAC-054
  function_name = "a"
  role          = "arn:aws:iam::1:role/r"
}
resource "aws_lambda_function" "traced" {
  function_name = "b"
  role          = "arn:aws:iam::1:role/r"
  tracing_config {
    mode = "Active" # shieldwall: expect-not SW-IAC-054
  }
}
