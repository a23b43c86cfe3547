// Application Insights backed by a Log Analytics workspace (workspace-based; classic resources are retired).
// API versions: Microsoft.OperationalInsights/workspaces 2023-09-01, Microsoft.Insights/components 2020-02-02
// (learn.microsoft.com/azure/templates/microsoft.operationalinsights/workspaces, .../microsoft.insights/components).

param workspaceName string
param appInsightsName string
param location string
param tags object

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
  }
}

output appInsightsName string = appInsights.name
