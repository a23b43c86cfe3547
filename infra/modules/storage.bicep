// Table Storage for the app's data, reachable only with Entra ID (no account keys, no SAS):
// shared-key access off, TLS 1.2 at least, HTTPS only, no anonymous blob access.
// API versions: Microsoft.Storage 2024-01-01 and Microsoft.Authorization/roleAssignments 2022-04-01
// (learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts, .../microsoft.authorization/roleassignments).

@description('Storage account name: 3 to 24 lower-case letters and digits, unique in Azure.')
@minLength(3)
@maxLength(24)
param name string

param location string
param tags object

@description('The principal (the web app\'s managed identity) that reads and writes the tables.')
param principalId string

@description('Locally redundant (Standard_LRS) for development; zone-redundant (Standard_ZRS) for production.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

// Built-in role "Storage Table Data Contributor": read, write and delete tables and entities.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    accessTier: 'Hot'
  }
}

// The app creates its tables at start-up (Postmortems, PostmortemItems, Outbox, …, with Storage:TablePrefix).
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = account.name
output tableEndpoint string = account.properties.primaryEndpoints.table
