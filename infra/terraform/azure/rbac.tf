# What snaptier may do in its container, and nothing else: read, write, list and delete blobs
# and their versions, and set a version's immutability policy (retention locks). Not yet checked
# against Azure: if Set Blob Immutability Policy is refused (403), compare with Azure's
# "Permissions for Blob service operations" list; blobs/write and runAsSuperUser cover it as we
# read that list.
resource "azurerm_role_definition" "snaptier" {
  name        = "snaptier repository ${var.account_name}/${var.container_name}"
  scope       = azapi_resource.container.id
  description = "snaptier repository access, least privilege"
  permissions {
    actions = [
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
    ]
    data_actions = [
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/deleteBlobVersion/action",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/immutableStorage/runAsSuperUser/action",
    ]
  }
  assignable_scopes = [azapi_resource.container.id]
}

resource "azurerm_role_assignment" "snaptier" {
  scope              = azapi_resource.container.id
  role_definition_id = azurerm_role_definition.snaptier.role_definition_resource_id
  principal_id       = var.snaptier_principal_id
}
