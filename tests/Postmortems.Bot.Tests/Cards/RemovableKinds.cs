using Azure.Data.Tables;
using Postmortems.Bot.Items;
using Postmortems.Core.Actions;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.Tests.Cards;

/// <summary>Kinds as the bot registers them, over stores that are never called (the cards only name and describe items).</summary>
internal static class RemovableKinds
{
    private static readonly TableClient Unused = new("UseDevelopmentStorage=true", "unused");

    public static IRemovableKind Action { get; } =
        new RemovableKind<ActionItem>(new PostmortemItemStore<ActionItem>(Unused, new ActionItemMapping(), TimeProvider.System), "action", a => a.Title);

    public static IRemovableKind Timeline { get; } =
        new RemovableKind<TimelineEntry>(new PostmortemItemStore<TimelineEntry>(Unused, new TimelineEntryMapping(), TimeProvider.System), "timeline entry", e => e.Description);
}
