// The app's host: a Linux App Service plan and one web app running .NET 10, HTTPS only, always on, with the
// user-assigned managed identity (storage, Bot Connector and Graph all sign in as it: no secrets in settings) and
// App Service's health check on /healthz (an instance that keeps failing it is taken out of the load balancer).
// API version: Microsoft.Web 2024-04-01 (learn.microsoft.com/azure/templates/microsoft.web/sites,
// .../microsoft.web/serverfarms, .../microsoft.web/sites/config-appsettings).

param planName string
param siteName string
param location string
param tags object

@description('App Service plan SKU: B1 for development; P0v3 or larger for production (always on needs Basic or above).')
param skuName string = 'B1'

@description('How many instances run the app; every instance serves the bot, the tab and the outbox worker.')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

param identityResourceId string
param identityClientId string

param tableEndpoint string
param appInsightsName string

@description('The tab\'s Entra app registration (Auth:ClientId).')
param tabClientId string
param tenantId string

@description('A custom host name already bound to the site, or empty to use the default *.azurewebsites.net name.')
param customHostName string = ''

@description('Whether the app sends invites through Microsoft Graph (the identity needs the Graph permissions).')
param enableGraph bool = true

@description('The app\'s id in the Teams app catalog (Graph:TeamsAppCatalogId), once the package is uploaded.')
param teamsAppCatalogId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // no sticky sessions: every instance can answer every request
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      webSocketsEnabled: false
    }
  }
}

// Deployments sign in with Entra ID (az webapp deploy); no FTP or SCM basic-auth publishing credentials.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var publicHost = empty(customHostName) ? site.properties.defaultHostName : customHostName

// The settings the app reads (README.md, Configuration), with the names App Service turns into configuration keys
// ("__" for ":"). Set as a separate resource because some come from the site's own outputs (its host name).
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    ASPNETCORE_ENVIRONMENT: 'Production'
    Storage__TableEndpoint: tableEndpoint
    Storage__ManagedIdentityClientId: identityClientId
    Bot__AppId: identityClientId
    Bot__TenantId: tenantId
    Auth__ClientId: tabClientId
    Auth__TenantId: tenantId
    Auth__ApplicationIdUri: 'api://${publicHost}/${tabClientId}'
    Graph__TenantId: enableGraph ? tenantId : ''
    Graph__ClientId: enableGraph ? identityClientId : ''
    Graph__TeamsAppCatalogId: teamsAppCatalogId
    Postmortems__PublicBaseUrl: 'https://${publicHost}/'
    // Turns the app's OpenTelemetry export on (README.md, Telemetry); it signs in as the managed identity, since
    // Application Insights accepts no instrumentation-key-only ingestion (modules/monitoring.bicep).
    // No ApplicationInsightsAgent_EXTENSION_VERSION: App Service's codeless agent would report every request twice.
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    Telemetry__ManagedIdentityClientId: identityClientId
  }
}

output name string = site.name
output host string = publicHost
