// Blameless Postmortems on Azure: everything the app needs in one resource group.
//   - a user-assigned managed identity: the app's only identity (storage, Bot Connector, Graph), no secrets;
//   - Table Storage (Entra ID only) with Storage Table Data Contributor for that identity;
//   - a Linux App Service plan and web app (.NET 10) with its settings wired from the other resources;
//   - an Azure Bot (UserAssignedMSI, single tenant) on the Teams channel;
//   - Application Insights on a Log Analytics workspace (the app's OpenTelemetry traces, metrics and logs; Entra ID
//     ingestion only, as the managed identity).
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p infra/main.dev.bicepparam (see infra/README.md).
targetScope = 'resourceGroup'

@description('Short name of the environment, used in resource names (dev, test, prod).')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Base name for the resources (lower-case letters and digits).')
@minLength(3)
@maxLength(12)
param appName string = 'postmortems'

param location string = resourceGroup().location

@description('The tab\'s Entra app registration: its application (client) id, for Teams SSO (Auth:ClientId).')
param tabClientId string

@description('App Service plan SKU: B1 for development, P0v3 or larger for production.')
param appServiceSku string = 'B1'

@description('Web app instances.')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

@description('Storage redundancy: Standard_LRS for development, Standard_ZRS for production.')
param storageSku string = 'Standard_LRS'

@description('Azure Bot SKU: F0 (free, standard channels such as Teams are free) or S1.')
param botSku string = 'F0'

@description('A custom host name bound to the web app, or empty for the default *.azurewebsites.net name.')
param customHostName string = ''

@description('Send invites through Microsoft Graph (grant the identity the Graph permissions first; see infra/README.md).')
param enableGraph bool = true

@description('The app\'s id in the Teams app catalog, once the app package is uploaded (Graph:TeamsAppCatalogId).')
param teamsAppCatalogId string = ''

param tags object = {
  app: 'blameless-postmortems'
  environment: environmentName
}

var suffix = uniqueString(resourceGroup().id, appName, environmentName)
var baseName = '${appName}-${environmentName}'

// API version: Microsoft.ManagedIdentity 2023-01-31 (learn.microsoft.com/azure/templates/microsoft.managedidentity/userassignedidentities).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}'
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${replace(appName, '-', '')}${environmentName}${suffix}', 24)
    location: location
    tags: tags
    principalId: identity.properties.principalId
    skuName: storageSku
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${baseName}'
    appInsightsName: 'appi-${baseName}'
    location: location
    tags: tags
    principalId: identity.properties.principalId
  }
}

module web 'modules/web.bicep' = {
  name: 'web'
  params: {
    planName: 'asp-${baseName}'
    siteName: 'app-${baseName}-${take(suffix, 6)}'
    location: location
    tags: tags
    skuName: appServiceSku
    instanceCount: instanceCount
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    tableEndpoint: storage.outputs.tableEndpoint
    appInsightsName: monitoring.outputs.appInsightsName
    tabClientId: tabClientId
    tenantId: tenant().tenantId
    customHostName: customHostName
    enableGraph: enableGraph
    teamsAppCatalogId: teamsAppCatalogId
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: 'bot-${baseName}-${take(suffix, 6)}'
    displayName: 'Blameless Postmortems'
    tags: tags
    endpoint: 'https://${web.outputs.host}/api/messages'
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    tenantId: tenant().tenantId
    sku: botSku
  }
}

@description('The web app to deploy the build to (az webapp deploy --name).')
output webAppName string = web.outputs.name

@description('The app\'s public host name: --host for manifest/package.mjs.')
output host string = web.outputs.host

@description('The bot\'s Microsoft App ID (the managed identity\'s client id): --bot-id for manifest/package.mjs.')
output botAppId string = identity.properties.clientId

@description('The managed identity\'s service principal: grant it the Graph application permissions.')
output identityPrincipalId string = identity.properties.principalId

output storageAccountName string = storage.outputs.name
output tableEndpoint string = storage.outputs.tableEndpoint
output botName string = bot.outputs.name
