output "repository_url" {
  description = "The --repo URL of the repository (run `snaptier init` with it once)."
  value       = "s3://${aws_s3_bucket.repository.id}/${var.repository_prefix}?region=${var.region}"
}

output "policy_arn" {
  value = aws_iam_policy.snaptier.arn
}

output "kms_key_arn" {
  value = local.kms_key_arn
}
