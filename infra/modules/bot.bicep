// The Azure Bot: a single-tenant bot whose identity is the web app's user-assigned managed identity, so there is
// no bot password anywhere (msaAppType UserAssignedMSI), connected to the Microsoft Teams channel.
// API version: Microsoft.BotService/botServices and botServices/channels 2022-09-15
// (learn.microsoft.com/azure/templates/microsoft.botservice/botservices, .../botservices/channels).

param name string
param displayName string
param tags object

@description('The messaging endpoint: https://<host>/api/messages.')
param endpoint string

@description('The user-assigned managed identity the bot signs in as.')
param identityResourceId string
param identityClientId string
param tenantId string

@allowed([
  'F0'
  'S1'
])
param sku string = 'F0'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output name string = bot.name
