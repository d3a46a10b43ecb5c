resource "aws_ebs_snapshot_copy" "plain" { # shieldwall: expect SW-IAC-018
  source_snapshot_id = "snap-1"
  source_region      = "eu-west-1"
}
resource "aws_ebs_snapshot_copy" "sealed" {
  source_snapshot_id = "snap-1"
  source_region      = "eu-west-1"
  encrypted          = true # shieldwall: expect-not SW-IAC-018
}
