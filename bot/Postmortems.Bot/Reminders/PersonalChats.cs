using Postmortems.Core.Outbox;
using System.Net;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Reminders;

/// <summary>
/// Finds the bot's 1:1 chat with a person, or creates it (PROTOCOL.md C.3) and stores it for next time. The chat is
/// created through the service URL and bot of a conversation the person was in (their stored contact), else of the
/// postmortem's own conversation; both were stored from authenticated activities, so their service URLs are trusted.
/// </summary>
public sealed class PersonalChats(
    UserContactStore contacts,
    ConversationReferences references,
    TrustedServiceUrls trusted,
    ConnectorClient connector)
{
    public async Task<ConversationReference> FindOrCreateAsync(string tenantId, string objectId, string? fallbackConversationId, CancellationToken cancellationToken)
    {
        var contact = await contacts.GetAsync(tenantId, objectId, cancellationToken).ConfigureAwait(false);
        if (contact?.PersonalConversationId is { } personalId
            && await references.LoadAsync(tenantId, personalId, cancellationToken).ConfigureAwait(false) is { } personal)
        {
            return personal;
        }

        ConversationReference? from = null;
        if (contact is { ServiceUrl: { } serviceUrl, BotId: { } botId })
        {
            trusted.Trust(serviceUrl);
            from = new ConversationReference(serviceUrl, string.Empty, tenantId, botId, contact.BotName);
        }
        else if (fallbackConversationId is not null)
        {
            from = await references.LoadAsync(tenantId, fallbackConversationId, cancellationToken).ConfigureAwait(false);
        }

        if (from is null)
        {
            throw new ExternalCallException("There is no conversation in this organisation to reach the person from.", isTransient: false);
        }

        // The "29:" id works wherever the bot met the person; the object id works when the app is installed for them.
        string memberId = contact?.UserId is { } userId && userId.StartsWith("29:", StringComparison.Ordinal) ? userId : objectId;
        try
        {
            var created = await connector.CreatePersonalConversationAsync(from, memberId, cancellationToken).ConfigureAwait(false);
            await references.RememberPersonalAsync(created, objectId, cancellationToken).ConfigureAwait(false);
            return created;
        }
        catch (ConnectorException ex)
        {
            throw AsOutboxFailure(ex);
        }
    }

    /// <summary>The Connector's error code for a person it does not know (left the organisation, or never used Teams).</summary>
    public const string UserNotFound = "UserNotFound";

    /// <summary>
    /// For the outbox: 429, 5xx and no answer are worth retrying; refusals (403: the app is not installed for them) are
    /// not, and neither is a person Teams does not know (error code UserNotFound, whatever the status: trying again
    /// cannot make them known), which is recorded on the item as the reason.
    /// </summary>
    public static ExternalCallException AsOutboxFailure(ConnectorException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (string.Equals(ex.ErrorCode, UserNotFound, StringComparison.OrdinalIgnoreCase))
        {
            return new ExternalCallException(
                "Teams does not know this person (UserNotFound): they may have left the organisation or never used Teams. Not tried again.",
                isTransient: false,
                status: (int?)ex.StatusCode,
                innerException: ex);
        }

        bool transient = ex.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
        return new ExternalCallException("Teams refused the message: " + ex.Message, transient, status: (int?)ex.StatusCode, innerException: ex);
    }
}
