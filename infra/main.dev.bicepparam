// Development environment. Replace tabClientId with the application (client) id of the tab's Entra app
// registration (infra/README.md, step 1) before deploying.
using 'main.bicep'

param environmentName = 'dev'
param appName = 'postmortems'
param tabClientId = '00000000-0000-0000-0000-000000000000'
param appServiceSku = 'B1'
param instanceCount = 1
param storageSku = 'Standard_LRS'
param botSku = 'F0'
param enableGraph = false
