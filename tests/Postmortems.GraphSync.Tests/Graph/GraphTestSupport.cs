using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Graph;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Graph;

/// <summary>A credential that hands out a fixed token, so tests can see the SDK attach it without Entra.</summary>
internal sealed class FixedTokenCredential : TokenCredential
{
    public const string Token = "test-graph-token";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

internal static class GraphTestSupport
{
    public const string CatalogAppId = "6f1a2b3c-0000-4000-8000-00000000c4a1";

    public static GraphOptions Options(FakeGraphServer server, string? catalogAppId = CatalogAppId) => new()
    {
        TenantId = "66666666-7777-8888-9999-000000000000",
        BaseUrl = server.BaseUrl,
        TeamsAppCatalogId = catalogAppId,
    };

    /// <summary>The real Graph SDK client, as production builds it, pointed at the fake.</summary>
    public static GraphServiceClient Client(FakeGraphServer server, TimeSpan? timeout = null) =>
        GraphServiceClientFactory.Create(Options(server), new FixedTokenCredential(), timeout ?? TimeSpan.FromSeconds(10));

    public static readonly Attendee Organizer = new("org-oid", "Olivia Organizer", "olivia@contoso.test");

    public static MeetingInvite Invite(
        DateTimeOffset? start = null,
        string timeZone = "Eastern Standard Time",
        string subject = "Postmortem: checkout outage",
        IReadOnlyList<Attendee>? attendees = null,
        string transactionId = "pm-42-review") => new()
        {
            Kind = MeetingKind.Postmortem,
            TenantId = "66666666-7777-8888-9999-000000000000",
            PostmortemId = "pm-42",
            Subject = subject,
            Start = start ?? new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero),
            DurationMinutes = 60,
            TimeZone = timeZone,
            Organizer = Organizer,
            Attendees = attendees ?? [new Attendee("amy-oid", "Amy Adams", "amy@contoso.test"), new Attendee("ben-oid", "Ben Brown", "ben@contoso.test", IsOptional: true)],
            TransactionId = transactionId,
        };

    public static JsonObject Json(RecordedRequest request) => (JsonObject)JsonNode.Parse(request.Body)!;

    public static JsonObject JsonIgnoringCase(RecordedRequest request) =>
        (JsonObject)JsonNode.Parse(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;

    public static string? Text(JsonNode? node) => node?.GetValue<string>();
}
