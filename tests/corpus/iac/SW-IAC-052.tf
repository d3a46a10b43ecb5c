resource "aws_lambda_permission" "anyone" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = "*" # shieldwall: expect SW-IAC-052
}
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = "apigateway.amazonaws.com" # shieldwall: expect-not SW-IAC-052
}
