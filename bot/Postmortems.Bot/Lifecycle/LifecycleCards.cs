using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Lifecycle;

/// <summary>The cards of a postmortem's life: its roles, the checklist before publishing, the published summary, reopening.</summary>
public static class LifecycleCards
{
    public const string RolesFormVerb = "roles.edit";
    public const string RolesSaveVerb = "roles.save";
    public const string ChecklistVerb = "publish.check";
    public const string PublishVerb = "publish.confirm";
    public const string ReviewVerb = "review.start";
    public const string ReopenFormVerb = "reopen.form";
    public const string ReopenVerb = "reopen.save";
    public const string ReasonKey = "reason";

    /// <summary>The roles: the facilitator (only they hand it over), an optional scribe and an optional incident commander.</summary>
    public static AdaptiveCard Roles(Postmortem postmortem, IReadOnlyList<Person> members, string? banner = null, bool bannerIsProblem = true)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(members);
        var state = FormState.From(new Dictionary<string, string?>
        {
            ["facilitator"] = postmortem.Facilitator.ObjectId,
            ["scribe"] = postmortem.Scribe?.ObjectId,
            ["incidentCommander"] = postmortem.IncidentCommander?.ObjectId,
        })
            .WithPeople("facilitator", [postmortem.Facilitator])
            .WithPeople("scribe", postmortem.Scribe is { } s ? [s] : [])
            .WithPeople("incidentCommander", postmortem.IncidentCommander is { } ic ? [ic] : []);
        var body = new List<CardElement> { FormCards.Heading("Roles: " + CardText.Literal(postmortem.Title)) };
        if (banner is not null)
        {
            body.Add(FormCards.Banner(banner, bannerIsProblem));
        }

        body.Add(new TextBlock("The facilitator runs the postmortem and may hand the role to someone here. The scribe may do what the facilitator does, except hand over, publish and reopen. The incident commander is named for the record.") { IsSubtle = true, Size = "small" });
        body.Add(FormCards.PeoplePicker("facilitator", "Facilitator", members, state) with { IsRequired = true, ErrorMessage = "Please choose a facilitator." });
        body.Add(FormCards.PeoplePicker("scribe", "Scribe (optional)", members, state));
        body.Add(FormCards.PeoplePicker("incidentCommander", "Incident commander (optional)", members, state));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save roles", RolesSaveVerb) { Data = FormCards.Data(postmortem.Id, etag: postmortem.ETag), AssociatedInputs = "auto" }],
            FallbackText = "Roles of the postmortem",
        };
    }

    /// <summary>"Ready to publish?": each check, a button to fill each unmet one, and Publish (or Publish anyway with a reason).</summary>
    public static AdaptiveCard Checklist(Postmortem postmortem, IReadOnlyList<ChecklistItem> items, string? banner = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(items);
        int unmet = PublishChecklist.UnmetCount(items);
        var body = new List<CardElement> { FormCards.Heading("Ready to publish? " + CardText.Literal(postmortem.Title)) };
        if (banner is not null)
        {
            body.Add(FormCards.Banner(banner));
        }

        body.Add(new TextBlock(unmet == 0
            ? "Everything on the checklist is there. Publishing shares it with the team and keeps the analysis as it is; actions go on."
            : "A few things are missing. Fill them in, or publish anyway with a reason when something truly does not apply."));
        foreach (var item in items)
        {
            var fill = item.Met ? null : FillButton(postmortem.Id, item.Check);
            body.Add(new Container(
            [
                new TextBlock((item.Met ? "✓ " : "✗ ") + item.Text) { Color = item.Met ? null : "attention" },
                .. fill is null ? Array.Empty<CardElement>() : [new ActionSet([fill])],
            ])
            { Separator = true });
        }

        var data = FormCards.Data(postmortem.Id, etag: postmortem.ETag);
        if (unmet > 0)
        {
            body.Add(FormCards.TextInput(ReasonKey, "Why publish anyway", "What does not apply here, and why", FormState.Empty, PostmortemLifecycle.ReasonLimit, multiline: true));
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions =
            [
                new ExecuteAction(unmet == 0 ? "Publish" : "Publish anyway", PublishVerb) { Data = data, AssociatedInputs = "auto" },
                new ExecuteAction("Check again", ChecklistVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
            ],
            FallbackText = "Ready to publish?",
        };
    }

    /// <summary>The short card posted when it is published: top factors, the actions, a link to the postmortem's page.</summary>
    public static AdaptiveCard Published(PostmortemDocument document, Uri? tabUrl)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        var body = new List<CardElement>
        {
            FormCards.Heading("Published: " + CardText.Literal(p.Title)),
            FormCards.Subtle($"By {CardText.Literal(p.PublishedBy?.DisplayName ?? p.Facilitator.DisplayName)} on {(p.PublishedAt ?? p.CreatedAt).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}. Thank you all for looking back together."),
        };
        if (!string.IsNullOrWhiteSpace(p.Summary))
        {
            body.Add(new TextBlock(CardText.Literal(FormCards.Shorten(p.Summary, 400))));
        }

        if (document.ContributingFactors.Count > 0)
        {
            body.Add(new TextBlock("Top contributing factors") { Weight = "bolder", Spacing = "medium" });
            body.Add(new TextBlock(string.Join("\n", document.ContributingFactors.Take(3).Select(f => "- " + CardText.Literal(FormCards.Shorten(f.Text, 200))))));
        }

        var actions = document.Actions.Where(a => a.Status != ActionStatus.WontDo).ToList();
        body.Add(new TextBlock(actions.Count == 0 ? "No actions." : $"Actions ({actions.Count})") { Weight = "bolder", Spacing = "medium" });
        if (actions.Count > 0)
        {
            body.Add(new FactSet([.. actions.Take(10).Select(a => new Fact(
                CardText.Literal(FormCards.Shorten(a.Title, 120)),
                $"{CardText.Literal(a.Owner?.DisplayName ?? "no owner")}, {(a.DueDate is { } due ? due.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : "no due date")}, {Actions.ActionCards.StatusTitle(a.Status).ToLowerInvariant()}"))]));
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions = tabUrl is null ? null : [new OpenUrlAction("Read the postmortem", tabUrl)],
            FallbackText = $"Postmortem published: {p.Title}",
        };
    }

    /// <summary>Reopening needs a reason, recorded with it.</summary>
    public static AdaptiveCard ReopenForm(Postmortem postmortem, string? banner = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Heading("Reopen " + CardText.Literal(postmortem.Title)),
                .. banner is null ? Array.Empty<CardElement>() : [FormCards.Banner(banner)],
                new TextBlock($"It is {PostmortemLifecycle.Describe(postmortem.Status)}. Reopening makes the analysis editable again and puts it back in review; the reason is recorded."),
                FormCards.TextInput(ReasonKey, "Why reopen it", "What changed, or what was missed", FormState.Empty, PostmortemLifecycle.ReasonLimit, required: true, multiline: true),
            ],
            Actions = [new ExecuteAction("Reopen", ReopenVerb) { Data = FormCards.Data(postmortem.Id, etag: postmortem.ETag), AssociatedInputs = "auto" }],
            FallbackText = "Reopen the postmortem",
        };
    }

    /// <summary>The roles as facts, for the status card.</summary>
    public static IEnumerable<Fact> RoleFacts(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (postmortem.Scribe is { } scribe)
        {
            yield return new Fact("Scribe", CardText.Literal(scribe.DisplayName));
        }

        if (postmortem.IncidentCommander is { } commander)
        {
            yield return new Fact("Incident commander", CardText.Literal(commander.DisplayName));
        }

        if (postmortem.PublishedAt is { } published && postmortem.Status.IsFinished())
        {
            yield return new Fact("Published", $"{published.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} by {CardText.Literal(postmortem.PublishedBy?.DisplayName ?? "the facilitator")}");
        }
    }

    /// <summary>The status card's buttons: a finished postmortem offers only what still applies.</summary>
    public static IReadOnlyList<CardAction> StatusButtons(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var data = FormCards.Data(postmortem.Id);
        if (postmortem.Status.IsFinished())
        {
            return
            [
                new ExecuteAction("Actions", Actions.ActionCards.PageVerb) { Data = FormCards.PageData(postmortem.Id, 1), AssociatedInputs = "none" },
                new ExecuteAction("Reopen", ReopenFormVerb) { Data = data, AssociatedInputs = "none" },
            ];
        }

        return
        [
            new ExecuteAction("Edit summary", PostmortemCards.SummaryFormVerb) { Data = data, AssociatedInputs = "none" },
            new ExecuteAction("Add timeline entry", TimelineCards.NewVerb) { Data = data, AssociatedInputs = "none" },
            new ExecuteAction("Add action", Actions.ActionCards.NewVerb) { Data = data, AssociatedInputs = "none" },
            new ExecuteAction("Roles", RolesFormVerb) { Data = data, AssociatedInputs = "none" },
            new ExecuteAction("Ready to publish?", ChecklistVerb) { Data = data, AssociatedInputs = "none" },
        ];
    }

    private static ExecuteAction? FillButton(string postmortemId, PublishCheck check)
    {
        var data = FormCards.Data(postmortemId);
        return check switch
        {
            PublishCheck.Summary or PublishCheck.CustomerImpact => new ExecuteAction("Write the summary", PostmortemCards.SummaryFormVerb) { Data = data, AssociatedInputs = "none" },
            PublishCheck.Timeline => new ExecuteAction("Add a timeline entry", TimelineCards.NewVerb) { Data = data, AssociatedInputs = "none" },

            // PENDING(h17-analysis): a factor of its own; until then factors come from the 5 whys.
            PublishCheck.Factors or PublishCheck.FactorsDecided => new ExecuteAction("Find factors with 5 whys", Discussion.DiscussionCards.WhysNewVerb) { Data = data, AssociatedInputs = "none" },
            PublishCheck.ActionsOwnedAndDated => new ExecuteAction("See the actions", Actions.ActionCards.PageVerb) { Data = FormCards.PageData(postmortemId, 1), AssociatedInputs = "none" },
            PublishCheck.WentWell => new ExecuteAction("Add a takeaway", Discussion.DiscussionCards.TakeawayNewVerb) { Data = data, AssociatedInputs = "none" },
            _ => null,
        };
    }
}
