resource "azurerm_storage_account" "repository" {
  name                            = var.account_name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = var.replication_type
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # snaptier signs in with Entra ID (the role below); no account keys are handed out.
  shared_access_key_enabled = false

  blob_properties {
    # Version-level immutability keeps every version under its own retention: needs versioning.
    versioning_enabled = true
    delete_retention_policy {
      days = 7
    }
    container_delete_retention_policy {
      days = 7
    }
  }
}

# The container with version-level immutability support (snaptier checks
# isImmutableStorageWithVersioningEnabled before it writes retention locks).
resource "azapi_resource" "container" {
  type      = "Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01"
  name      = var.container_name
  parent_id = "${azurerm_storage_account.repository.id}/blobServices/default"
  body = {
    properties = {
      publicAccess = "None"
      immutableStorageWithVersioning = {
        enabled = true
      }
    }
  }
}

# Default retention of every new blob version in the container.
resource "azapi_resource" "default_retention" {
  type      = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01"
  name      = "default"
  parent_id = azapi_resource.container.id
  body = {
    properties = {
      immutabilityPeriodSinceCreationInDays = var.retention_days
      allowProtectedAppendWrites            = false
    }
  }
}

# Locking makes the default retention irreversible (it can then only be extended).
resource "azapi_resource_action" "lock_retention" {
  count       = var.retention_locked ? 1 : 0
  type        = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01"
  resource_id = azapi_resource.default_retention.id
  action      = "lock"
  method      = "POST"
}
