using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Postmortems.Bot.Protocol.Connector;

/// <summary>
/// The bot's calls to the Bot Connector REST API v3 (PROTOCOL.md C.2, C.3) at a conversation's service URL. Every
/// call first checks that the service URL is trusted (else <see cref="UntrustedServiceUrlException"/> and no request),
/// then sends with the bot's token (none in local mode) through the HttpClient's resilience pipeline
/// (<see cref="ConnectorResilience"/>: rate limits, retries, timeouts). Refusals and calls that end without an answer
/// throw <see cref="ConnectorException"/>.
/// </summary>
public sealed class ConnectorClient
{
    /// <summary>The largest roster page Teams serves (it clamps pageSize to 50..500).</summary>
    public const int MembersPageSize = 500;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ConnectorTokenProvider _tokens;
    private readonly TrustedServiceUrls _trustedServiceUrls;
    private readonly bool _whileTeamsWaits;

    public ConnectorClient(HttpClient http, ConnectorTokenProvider tokens, TrustedServiceUrls trustedServiceUrls)
        : this(http, tokens, trustedServiceUrls, whileTeamsWaits: false)
    {
    }

    private ConnectorClient(HttpClient http, ConnectorTokenProvider tokens, TrustedServiceUrls trustedServiceUrls, bool whileTeamsWaits)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(trustedServiceUrls);
        _http = http;
        _tokens = tokens;
        _trustedServiceUrls = trustedServiceUrls;
        _whileTeamsWaits = whileTeamsWaits;
    }

    /// <summary>
    /// The same client for calls Teams is waiting on (a reply while an activity is answered, a roster read for a
    /// card): each call gets <see cref="ConnectorResilience.WhileTeamsWaitsTimeout"/> in all, retries included.
    /// </summary>
    public ConnectorClient WhileTeamsWaits() => new(_http, _tokens, _trustedServiceUrls, whileTeamsWaits: true);

    /// <summary>Posts a new activity to the conversation (a new channel post, or a proactive message); returns its id.</summary>
    public Task<string?> SendToConversationAsync(ConversationReference conversation, Activity activity, CancellationToken cancellationToken) =>
        SendToConversationAsync(conversation, activity, atMostOnce: false, cancellationToken);

    /// <summary>
    /// Posts a new activity; with <paramref name="atMostOnce"/>, a try that may have reached Teams (no answer in time,
    /// the connection dropped after sending) is not repeated: the Connector has no idempotency key, so a repeat would
    /// show the message twice. Refusals Teams answered (429, 412, 5xx) and failures to connect are still retried.
    /// </summary>
    public async Task<string?> SendToConversationAsync(ConversationReference conversation, Activity activity, bool atMostOnce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(activity);
        Address(activity, conversation);
        string body = await SendAsync(conversation, HttpMethod.Post, Path("v3", "conversations", conversation.ConversationId, "activities"),
            activity, ConnectorOperation.Send, conversation.ConversationId, cancellationToken, atMostOnce).ConfigureAwait(false);
        return ReadId(body);
    }

    /// <summary>Replies to an activity (in a channel: in its thread); returns the reply's id.</summary>
    public async Task<string?> ReplyToActivityAsync(ConversationReference conversation, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        Address(activity, conversation);
        activity.ReplyToId = activityId;
        string body = await SendAsync(conversation, HttpMethod.Post, Path("v3", "conversations", conversation.ConversationId, "activities", activityId),
            activity, ConnectorOperation.Send, conversation.ConversationId, cancellationToken).ConfigureAwait(false);
        return ReadId(body);
    }

    /// <summary>Replaces a message the bot sent (e.g. a refreshed card) with <paramref name="activity"/>, which must be complete.</summary>
    public async Task UpdateActivityAsync(ConversationReference conversation, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        Address(activity, conversation);
        activity.Id = activityId;
        await SendAsync(conversation, HttpMethod.Put, Path("v3", "conversations", conversation.ConversationId, "activities", activityId),
            activity, ConnectorOperation.Send, conversation.ConversationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates (or finds) the bot's 1:1 chat with a member of the tenant (PROTOCOL.md C.3). <paramref name="memberId"/>
    /// is the user's "29:" id, or the Entra object id when the app is installed for the user. The app must be
    /// installed for the user or in a team they belong to, else Teams answers 403.
    /// </summary>
    public async Task<ConversationReference> CreatePersonalConversationAsync(ConversationReference anyConversationInTenant, string memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anyConversationInTenant);
        ArgumentException.ThrowIfNullOrEmpty(memberId);
        var from = anyConversationInTenant;
        var parameters = new ConversationParameters(
            IsGroup: false,
            Bot: new AccountId(from.BotId),
            Members: [new AccountId(memberId)],
            TenantId: from.TenantId,
            ChannelData: new TeamsChannelData { Tenant = new TenantInfo(from.TenantId) });
        string body = await SendAsync(from, HttpMethod.Post, Path("v3", "conversations"), parameters,
            ConnectorOperation.CreateConversation, memberId, cancellationToken).ConfigureAwait(false);
        string id = ReadId(body) ?? throw new ConnectorException("The Bot Connector created a conversation but returned no id.");

        bool isObjectId = Guid.TryParse(memberId, out _);
        return new ConversationReference(
            from.ServiceUrl,
            id,
            from.TenantId,
            from.BotId,
            from.BotName,
            ConversationType: "personal",
            UserId: isObjectId ? null : memberId,
            UserAadObjectId: isObjectId ? memberId : null,
            ChannelId: from.ChannelId);
    }

    /// <summary>
    /// Starts a new thread in a team channel with <paramref name="activity"/> as its first post (PROTOCOL.md C.3, "New
    /// channel thread": isGroup with channelData.channel.id). Returns the thread's reference, whose conversation id is
    /// "&lt;channelId&gt;;messageid=&lt;first post's id&gt;", as Teams sends it for replies in that thread.
    /// </summary>
    public async Task<ConversationReference> CreateChannelThreadAsync(ConversationReference anyConversationInTenant, string channelId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anyConversationInTenant);
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentNullException.ThrowIfNull(activity);
        var from = anyConversationInTenant;
        activity.From = new ChannelAccount { Id = from.BotId, Name = from.BotName };
        var parameters = new ChannelThreadParameters(
            IsGroup: true,
            Bot: new AccountId(from.BotId),
            TenantId: from.TenantId,
            ChannelData: new TeamsChannelData { Tenant = new TenantInfo(from.TenantId), Channel = new ChannelInfo(channelId, null) },
            Activity: activity);
        string body = await SendAsync(from, HttpMethod.Post, Path("v3", "conversations"), parameters,
            ConnectorOperation.CreateConversation, channelId, cancellationToken).ConfigureAwait(false);
        string id = ReadId(body) ?? throw new ConnectorException("The Bot Connector created a channel thread but returned no id.");
        string? firstPost = ReadProperty(body, "activityId");
        string threadId = id.Contains(";messageid=", StringComparison.Ordinal) || firstPost is null ? id : $"{channelId};messageid={firstPost}";
        return new ConversationReference(from.ServiceUrl, threadId, from.TenantId, from.BotId, from.BotName, ConversationType: "channel", ChannelId: from.ChannelId);
    }

    /// <summary>All members of a conversation, or of a team when given the team id as conversation id, page by page.</summary>
    public async Task<IReadOnlyList<ConversationMember>> GetConversationMembersAsync(ConversationReference conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var members = new List<ConversationMember>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? continuationToken = null;
        do
        {
            string path = Path("v3", "conversations", conversation.ConversationId, "pagedmembers")
                + $"?pageSize={MembersPageSize}"
                + (continuationToken is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(continuationToken)}");
            string body = await SendAsync(conversation, HttpMethod.Get, path, null,
                ConnectorOperation.ReadMembers, conversation.ConversationId, cancellationToken).ConfigureAwait(false);
            var page = JsonSerializer.Deserialize<MembersPage>(body, ProtocolJson.Options)
                ?? throw new ConnectorException("The Bot Connector returned an empty members page.");
            members.AddRange(page.Members?.Where(m => !string.IsNullOrEmpty(m.Id)).Select(m => m.ToMember()) ?? []);

            continuationToken = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
            if (continuationToken is not null && !seenTokens.Add(continuationToken))
            {
                throw new ConnectorException("The Bot Connector repeated a members continuation token; the roster would never end.");
            }
        }
        while (continuationToken is not null);

        return members;
    }

    /// <summary>"v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/…": each segment escaped on its own.</summary>
    private static string Path(params string[] segments) => string.Join('/', segments.Select(Uri.EscapeDataString));

    /// <summary>Fills what Teams needs to route the activity, keeping whatever the caller set.</summary>
    private static void Address(Activity activity, ConversationReference conversation)
    {
        activity.Type ??= ActivityTypes.Message;
        activity.From ??= new ChannelAccount { Id = conversation.BotId, Name = conversation.BotName };
        if (activity.Conversation?.Id != conversation.ConversationId)
        {
            activity.Conversation = new ConversationAccount { Id = conversation.ConversationId };
        }

        if (activity.Recipient is null && (conversation.UserId ?? conversation.UserAadObjectId) is not null)
        {
            activity.Recipient = new ChannelAccount { Id = conversation.UserId, AadObjectId = conversation.UserAadObjectId };
        }

        activity.ChannelId ??= conversation.ChannelId;
        activity.ServiceUrl ??= conversation.ServiceUrl;
    }

    private static string? ReadId(string body) => ReadProperty(body, "id");

    private static string? ReadProperty(string body, string name)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<string> SendAsync(ConversationReference conversation, HttpMethod method, string path, object? body,
        ConnectorOperation operation, string threadId, CancellationToken cancellationToken, bool atMostOnce = false)
    {
        // Only service URLs from authenticated activities get the bot's token (PROTOCOL.md C.1).
        if (!_trustedServiceUrls.IsTrusted(conversation.ServiceUrl))
        {
            throw UntrustedServiceUrlException.For(conversation.ServiceUrl);
        }

        string? token;
        try
        {
            token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            // A wrong secret or a missing managed identity is a send failure like any other, not a crash.
            throw new ConnectorException("The bot could not get its Bot Framework token; check Bot:AppId, Bot:AppPassword and Bot:TenantId.", null, null, ex.Message, ex);
        }

        var uri = new Uri(conversation.ServiceUrl.TrimEnd('/') + "/" + path, UriKind.Absolute);
        using var request = new HttpRequestMessage(method, uri);
        request.Options.Set(ConnectorResilience.Call, new ConnectorCall(operation, threadId));
        request.Options.Set(ConnectorResilience.AtMostOnce, atMostOnce);
        request.Options.Set(ConnectorResilience.WhileTeamsWaits, _whileTeamsWaits);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ProtocolJson.Options));
            request.Content.Headers.ContentType = JsonContentType;
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or RateLimiterRejectedException)
        {
            throw new ConnectorException($"The Bot Connector could not be reached for {method} {path}: {ConnectorResilience.Describe(e)}", statusCode: null, errorCode: null, errorMessage: null, e);
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted)
            {
                return text;
            }

            var (code, message) = ReadError(text);
            throw new ConnectorException(
                $"The Bot Connector answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} {path}" + (code is null ? "." : $": {code}: {message}"),
                response.StatusCode,
                code,
                message);
        }
    }

    /// <summary>error.code and error.message of a Connector error body (ErrorResponse), when it has them.</summary>
    private static (string? Code, string? Message) ReadError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
            return (StringProperty(error, "code"), StringProperty(error, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? StringProperty(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private sealed record AccountId(string Id);

    /// <summary>ConversationParameters as POST v3/conversations takes them.</summary>
    private sealed record ConversationParameters(bool IsGroup, AccountId Bot, IReadOnlyList<AccountId> Members, string TenantId, TeamsChannelData ChannelData);

    /// <summary>ConversationParameters for a new channel thread: no members, the first post included.</summary>
    private sealed record ChannelThreadParameters(bool IsGroup, AccountId Bot, string TenantId, TeamsChannelData ChannelData, Activity Activity);

    private sealed record MembersPage(string? ContinuationToken, IReadOnlyList<RosterMember>? Members);

    /// <summary>A roster entry; Teams names the Entra object id "objectId", the Bot Framework SDKs "aadObjectId".</summary>
    private sealed record RosterMember(
        string? Id,
        string? Name,
        [property: JsonPropertyName("objectId")] string? ObjectId,
        string? AadObjectId,
        string? Email,
        string? UserPrincipalName,
        string? TenantId)
    {
        public ConversationMember ToMember() => new(Id!, AadObjectId ?? ObjectId, Name, Email, UserPrincipalName, TenantId);
    }
}
