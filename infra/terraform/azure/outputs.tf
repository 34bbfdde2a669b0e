output "repository_url" {
  description = "The --repo URL of the repository (run `snaptier init` with it once)."
  value       = "azure://${var.container_name}/?account=${azurerm_storage_account.repository.name}"
}
