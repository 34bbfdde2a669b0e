# A storage account and container for a snaptier repository on Azure Blob: blob versioning,
# version-level immutability (WORM) with a default retention, and a role for snaptier's identity.
terraform {
  required_version = ">= 1.5"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0"
    }
    # The container's version-level immutability is an ARM property azurerm does not expose.
    azapi = {
      source  = "Azure/azapi"
      version = ">= 2.0"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

provider "azapi" {}
