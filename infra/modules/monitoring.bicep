// Application Insights backed by a Log Analytics workspace (workspace-based; classic resources are retired).
// Ingestion takes Entra ID tokens only (local authentication off): the connection string's instrumentation key alone
// cannot send telemetry, and the app's managed identity is granted Monitoring Metrics Publisher to do so.
// API versions: Microsoft.OperationalInsights/workspaces 2023-09-01, Microsoft.Insights/components 2020-02-02,
// Microsoft.Authorization/roleAssignments 2022-04-01 (learn.microsoft.com/azure/templates/microsoft.operationalinsights/workspaces,
// .../microsoft.insights/components, .../microsoft.authorization/roleassignments).

param workspaceName string
param appInsightsName string
param location string
param tags object

@description('The principal (the web app\'s managed identity) that sends telemetry.')
param principalId string

@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

// Built-in role Monitoring Metrics Publisher: may send telemetry to this resource with an Entra ID token.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output appInsightsName string = appInsights.name
