# A bucket for a snaptier repository on AWS S3: versioned, Object Lock with a default retention,
# SSE-KMS, data packs moved to a colder class, and a least-privilege policy for snaptier itself.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}

provider "aws" {
  region = var.region
}
