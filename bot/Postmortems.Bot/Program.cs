using Postmortems.Bot.Conversations;
using Postmortems.Bot.Hosting;
using Postmortems.Bot.Protocol;
using Postmortems.Core;
using Postmortems.Core.Outbox;
using Postmortems.Core.Storage;
using Postmortems.GraphSync;
using Postmortems.Tabs;
using Postmortems.Tabs.Pages;

var builder = WebApplication.CreateBuilder(args);

builder.AddHostDefaults();
builder.AddProductTelemetry();
builder.Services.AddPostmortemRules(builder.Configuration);
builder.Services.AddPostmortemStorage(builder.Configuration);
builder.Services.AddTabs(builder.Configuration);
builder.Services.AddOutbox(builder.Configuration);
builder.Services.AddGraphSync(builder.Configuration);
builder.Services.AddBotProtocol(builder.Configuration);
builder.Services.AddPostmortemChat();

var app = builder.Build();
app.UseStaticFiles();
app.UseStorageReadinessGate();

app.MapHealth();
app.MapBotMessages();
app.MapGraphNotifications();
app.MapTabApi();
app.MapTabPages();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
