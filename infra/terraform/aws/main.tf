resource "aws_s3_bucket" "repository" {
  bucket = var.bucket_name
  # Object Lock can only be enabled when the bucket is created.
  object_lock_enabled = true
}

resource "aws_s3_bucket_public_access_block" "repository" {
  bucket                  = aws_s3_bucket.repository.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "repository" {
  bucket = aws_s3_bucket.repository.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Object Lock needs versioning: a delete leaves a marker, the locked version stays.
resource "aws_s3_bucket_versioning" "repository" {
  bucket = aws_s3_bucket.repository.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "repository" {
  bucket = aws_s3_bucket.repository.id
  rule {
    default_retention {
      mode = var.object_lock_mode
      days = var.object_lock_days
    }
  }
  depends_on = [aws_s3_bucket_versioning.repository]
}

resource "aws_kms_key" "repository" {
  count               = var.kms_key_arn == "" ? 1 : 0
  description         = "snaptier repository ${var.bucket_name}"
  enable_key_rotation = true
}

locals {
  kms_key_arn = var.kms_key_arn != "" ? var.kms_key_arn : aws_kms_key.repository[0].arn
  # The data pack prefix of a repository (src/format/layout.ts DATA_PREFIX): the bulk of the bytes,
  # read only by restores, verify and drills. Tree packs and manifests stay in STANDARD.
  data_prefix = "${var.repository_prefix}data/"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "repository" {
  bucket = aws_s3_bucket.repository.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "repository" {
  bucket = aws_s3_bucket.repository.id

  rule {
    id     = "data-packs-to-colder-class"
    status = "Enabled"
    filter {
      prefix = local.data_prefix
    }
    transition {
      days          = var.data_transition_days
      storage_class = var.data_storage_class
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_multipart_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.repository]
}
