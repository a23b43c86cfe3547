using System.Text.Json;

namespace Postmortems.Bot.Protocol;

/// <summary>Reads an activity from a request body and checks the fields every activity must carry.</summary>
public static class ActivityReader
{
    /// <summary>Teams messages are at most about 100 KB; anything far larger is not a real activity.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The longest service URL, conversation id or sender or recipient id accepted.</summary>
    public const int MaxIdLength = 1024;

    public static (Activity? Activity, string? Error) Read(ReadOnlySpan<byte> body)
    {
        Activity? activity;
        try
        {
            if (!Core.Common.JsonStrings.AreWellFormed(body, new JsonReaderOptions { MaxDepth = ProtocolJson.Options.MaxDepth }))
            {
                return (null, "The request body is not a valid activity (a string with an unpaired surrogate).");
            }

            activity = JsonSerializer.Deserialize<Activity>(body, ProtocolJson.Options);
        }
        catch (JsonException)
        {
            return (null, "The request body is not a valid activity (malformed JSON or a field of the wrong type).");
        }

        if (activity is null)
        {
            return (null, "The request body is empty.");
        }

        // Plain null checks: a nested property pattern such as { Conversation.Id: null } never matches when the
        // parent object itself is missing.
        string? missing =
            string.IsNullOrEmpty(activity.Type) ? "type"
            : string.IsNullOrEmpty(activity.ChannelId) ? "channelId"
            : string.IsNullOrEmpty(activity.ServiceUrl) ? "serviceUrl"
            : string.IsNullOrEmpty(activity.Conversation?.Id) ? "conversation.id"
            : string.IsNullOrEmpty(activity.Recipient?.Id) ? "recipient.id"
            : activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && string.IsNullOrEmpty(activity.From?.Id) ? "from.id"
            : null;
        if (missing is not null)
        {
            return (null, $"The activity has no {missing}.");
        }

        // Stored with every conversation's reference, which needs ids of 1 to 1,024 characters, not blank: anything else is
        // refused here, before anything is stored or sent, rather than failing later.
        string? tooLong =
            IsOutOfBounds(activity.ServiceUrl) ? "serviceUrl"
            : IsOutOfBounds(activity.Conversation!.Id) ? "conversation.id"
            : IsOutOfBounds(activity.Recipient!.Id) ? "recipient.id"
            : activity.From?.Id is { } fromId && IsOutOfBounds(fromId) ? "from.id"
            : null;
        if (tooLong is not null)
        {
            return (null, $"The activity's {tooLong} is blank or longer than {MaxIdLength} characters.");
        }

        if (TrustedServiceUrls.Normalize(activity.ServiceUrl) is null)
        {
            return (null, "The activity's serviceUrl is not an absolute http(s) URL.");
        }

        CleanNames(activity);
        return (activity, null);
    }

    /// <summary>
    /// Names arrive here from Teams (the sender, the bot as recipient, members added or removed) and may hold line
    /// breaks, tabs or bidi overrides: the one rule for names (<see cref="Core.Common.SingleLineText.Name"/>) applies
    /// before anything stores or shows them. A missing name stays missing, so each feature keeps its own fallback.
    /// </summary>
    private static void CleanNames(Activity activity)
    {
        Clean(activity.From);
        Clean(activity.Recipient);
        foreach (var member in activity.MembersAdded ?? [])
        {
            Clean(member);
        }

        foreach (var member in activity.MembersRemoved ?? [])
        {
            Clean(member);
        }

        static void Clean(ChannelAccount? account)
        {
            if (account?.Name is { } name)
            {
                string clean = Core.Common.SingleLineText.Name(name, string.Empty);
                account.Name = clean.Length == 0 ? null : clean;
            }
        }
    }

    private static bool IsOutOfBounds(string? value) => string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength;
}
