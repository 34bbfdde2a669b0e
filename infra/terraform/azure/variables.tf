variable "subscription_id" {
  description = "Azure subscription to create the account in."
  type        = string
}

variable "resource_group_name" {
  description = "Existing resource group for the storage account."
  type        = string
}

variable "location" {
  description = "Azure region, for example westeurope."
  type        = string
}

variable "account_name" {
  description = "Storage account name: 3-24 lowercase letters and digits, globally unique."
  type        = string
}

variable "container_name" {
  description = "Container that holds the repository: the CONTAINER of azure://CONTAINER/PREFIX."
  type        = string
  default     = "snaptier"
}

variable "replication_type" {
  description = "Account replication: LRS, ZRS, GRS, RAGRS, GZRS or RAGZRS."
  type        = string
  default     = "ZRS"
}

variable "retention_days" {
  description = "Default time-based retention of every blob version, in days. Choose at least your longest keep-* policy."
  type        = number
  default     = 30
}

variable "retention_locked" {
  description = "Lock the container's default immutability policy (compliance: it can then only be extended). Leave false until the period is final."
  type        = bool
  default     = false
}

variable "snaptier_principal_id" {
  description = "Object id of the identity snaptier runs as (a managed identity or a service principal)."
  type        = string
}
