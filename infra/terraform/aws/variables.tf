variable "region" {
  description = "AWS region of the bucket."
  type        = string
}

variable "bucket_name" {
  description = "Name of the bucket that holds the repository (globally unique)."
  type        = string
}

variable "repository_prefix" {
  description = "Key prefix of the repository in the bucket, with a trailing slash (\"\" for the bucket root): the PREFIX of s3://BUCKET/PREFIX."
  type        = string
  default     = ""
  validation {
    condition     = var.repository_prefix == "" || endswith(var.repository_prefix, "/")
    error_message = "repository_prefix is empty or ends with a slash."
  }
}

variable "object_lock_mode" {
  description = "Default retention mode of new objects: COMPLIANCE (nobody, not even root, can shorten it) or GOVERNANCE (s3:BypassGovernanceRetention can)."
  type        = string
  default     = "COMPLIANCE"
  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.object_lock_mode)
    error_message = "object_lock_mode is COMPLIANCE or GOVERNANCE."
  }
}

variable "object_lock_days" {
  description = "Default retention of every object version, in days. Choose at least your longest keep-* policy: a snapshot cannot be pruned before its objects' retention ends."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for SSE-KMS; empty to create one."
  type        = string
  default     = ""
}

variable "data_storage_class" {
  description = "Storage class data packs move to. GLACIER_IR and STANDARD_IA stay readable at once (restores need no thaw); GLACIER and DEEP_ARCHIVE need a restore request before reading."
  type        = string
  default     = "GLACIER_IR"
}

variable "data_transition_days" {
  description = "Age in days at which data packs move to data_storage_class (S3 requires >= 30 for STANDARD_IA)."
  type        = number
  default     = 30
}

variable "abort_multipart_days" {
  description = "Days after which an unfinished multipart upload (an interrupted backup's pack) is aborted and its parts deleted."
  type        = number
  default     = 7
}

variable "noncurrent_version_days" {
  description = "Days a version stays after it was deleted or replaced (it cannot go before its retention ends). snaptier deletes old versions itself when it prunes; this catches what it could not."
  type        = number
  default     = 30
}

variable "snaptier_role_names" {
  description = "Names of IAM roles to attach the snaptier policy to (for example the daemon's instance role or its IRSA role)."
  type        = list(string)
  default     = []
}
