resource "aws_ecs_task_definition" "host" {
  family       = "a"
  network_mode = "host" # shieldwall: expect SW-IAC-076
}
resource "aws_ecs_task_definition" "vpc" {
  family       = "b"
  network_mode = "awsvpc" # shieldwall: expect-not SW-IAC-076
}
