variable "t" {}
resource "aws_sqs_queue" "q" {
  visibility_timeout_seconds = var.t * 6
}
