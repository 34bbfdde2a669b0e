# What snaptier may do, and nothing else: every action below is one that src/store/s3 calls
# (test/infra/terraform.test.ts keeps the two equal). s3:CreateBucket is left out on purpose:
# this bucket exists, and `snaptier init` only creates a bucket it cannot find.
data "aws_iam_policy_document" "snaptier" {
  statement {
    sid = "Bucket"
    actions = [
      "s3:GetBucketObjectLockConfiguration", # GetObjectLockConfiguration: init checks the lock is on
      "s3:ListBucket",                       # HeadBucket, ListObjects, ListObjectsV2
      "s3:ListBucketVersions",               # ListObjectVersions: prune deletes every version
    ]
    resources = [aws_s3_bucket.repository.arn]
  }

  statement {
    sid = "Objects"
    actions = [
      "s3:AbortMultipartUpload", # AbortMultipartUpload
      "s3:DeleteObject",         # DeleteObject, DeleteObjects
      "s3:DeleteObjectVersion",  # DeleteObjects with VersionId, after retention ends
      "s3:GetObject",            # GetObject, HeadObject, CopyObject (its source)
      "s3:PutObject",            # PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, CopyObject
      "s3:RestoreObject",        # RestoreObject: restore --rehydrate thaws archived data packs
      "s3:PutObjectRetention",   # PutObjectRetention, and PutObject with a retention date
    ]
    resources = ["${aws_s3_bucket.repository.arn}/${var.repository_prefix}*"]
  }

  statement {
    sid       = "Encryption"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [local.kms_key_arn]
  }
}

resource "aws_iam_policy" "snaptier" {
  name        = "snaptier-${var.bucket_name}"
  description = "snaptier repository access to ${var.bucket_name}, least privilege"
  policy      = data.aws_iam_policy_document.snaptier.json
}

resource "aws_iam_role_policy_attachment" "snaptier" {
  for_each   = toset(var.snaptier_role_names)
  role       = each.value
  policy_arn = aws_iam_policy.snaptier.arn
}
