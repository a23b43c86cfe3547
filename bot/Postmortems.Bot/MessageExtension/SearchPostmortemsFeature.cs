using System.Text.Json;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;
using Postmortems.Core;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// The "Postmortems" compose-box search (composeExtension/query): the tenant's postmortems (everyone in the organisation
/// may read them: the practice is open) whose title or date matches what is typed, newest first, each inserted as a
/// compact card. The tenant is the one Teams signed; only its partition is read, a few pages at most.
/// </summary>
public sealed class SearchPostmortemsFeature(PostmortemRepository postmortems, PostmortemItemStore<ActionItem> actions, IOptions<PostmortemOptions> practice)
{
    public const string CommandId = "searchPostmortems";

    /// <summary>Teams lists up to 25; a compose box needs far fewer, and each result costs one read for its open actions.</summary>
    public const int MaxResults = 8;

    /// <summary>How many of the newest postmortems a search looks through (pages of <see cref="PageSize"/>).</summary>
    private const int PagesRead = 3;
    private const int PageSize = 100;

    public async Task<InvokeResponse> QueryAsync(JsonElement value, string tenantId, CancellationToken cancellationToken)
    {
        string query = PostmortemSearch.Normalize(QueryText(value));
        var found = new List<Postmortem>();
        string? continuation = null;
        for (int page = 0; page < PagesRead && found.Count < MaxResults; page++)
        {
            var batch = await postmortems.ListAsync(tenantId, null, PageSize, continuation, cancellationToken).ConfigureAwait(false);
            found.AddRange(batch.Items.Where(p => PostmortemSearch.Matches(p, query)).Take(MaxResults - found.Count));
            continuation = batch.ContinuationToken;
            if (continuation is null)
            {
                break;
            }
        }

        if (found.Count == 0)
        {
            return new InvokeResponse(200, new { composeExtension = new { type = "message", text = query.Length == 0 ? "No postmortems yet." : $"No postmortem matches \"{CardText.Plain(query)}\". Try a word of its title or a date like 2026-11-20." } });
        }

        var open = await Task.WhenAll(found.Select(p => OpenActionsAsync(tenantId, p.Id, cancellationToken))).ConfigureAwait(false);
        var attachments = found.Select((p, i) => Result(p, open[i])).ToList();
        return new InvokeResponse(200, new { composeExtension = new { type = "result", attachmentLayout = "list", attachments } });
    }

    private async Task<int> OpenActionsAsync(string tenantId, string postmortemId, CancellationToken cancellationToken) =>
        (await actions.ListAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false)).Count(a => a.Status is ActionStatus.Open or ActionStatus.InProgress);

    /// <summary>The card put into the message, and its one-line preview in the result list (Teams needs a thumbnail preview).</summary>
    private object Result(Postmortem postmortem, int openActions)
    {
        string facts = $"{StatusLabel(postmortem.Status)} · {SeverityLabels.Label(postmortem.Severity)} · {openActions} open action{(openActions == 1 ? string.Empty : "s")}";
        var card = new AdaptiveCard
        {
            Body =
            [
                new TextBlock(CardText.Literal(postmortem.Title)) { Weight = "bolder", Size = "medium" },
                new TextBlock(facts) { IsSubtle = true, Spacing = "none" },
                new TextBlock("Started " + postmortem.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) { IsSubtle = true, Size = "small", Spacing = "none" },
            ],
            Actions = practice.Value.TabUrlFor(postmortem.Id) is { } tab ? [new OpenUrlAction("Open the postmortem", tab)] : null,
            FallbackText = $"Postmortem: {postmortem.Title}",
        };
        return new
        {
            contentType = AdaptiveCard.ContentType,
            content = card,
            preview = new { contentType = "application/vnd.microsoft.card.thumbnail", content = new { title = CardText.Plain(postmortem.Title), text = facts } },
        };
    }

    /// <summary>"Draft", "Meeting scheduled", "In review", "Published", "Closed": the lifecycle's own words.</summary>
    public static string StatusLabel(PostmortemStatus status)
    {
        string words = Core.Lifecycle.PostmortemLifecycle.Describe(status);
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The first parameter's value (Teams names it after the manifest's parameter; the Playground lets the tester name it).</summary>
    private static string? QueryText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var parameter in parameters.EnumerateArray())
        {
            if (parameter.ValueKind == JsonValueKind.Object && parameter.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && name.GetString() != "initialRun" && parameter.TryGetProperty("value", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return text.GetString();
            }
        }

        return null;
    }
}
