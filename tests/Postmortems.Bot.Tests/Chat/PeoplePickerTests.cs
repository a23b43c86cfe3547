using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Storage;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>
/// People pickers on cards that come back (refused, or prefilled), through the real pipeline with real Azurite. Teams
/// shows a chosen person only when the picker's value is an id one of its choices has, so each chosen person must be
/// in the value by Entra object id AND among the choices with their name, whichever id the client sent (the Agents
/// Playground sends the member's chat id, Teams the Entra object id).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PeoplePickerTests
{
    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestMethod]
    public async Task ARefusedActionCardKeepsTheOwnerChosenByChatIdAndShowsThemByName()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("action");

        var again = await chat.PressAsync(form, "Save action", new() { ["title"] = "Be more careful with config", ["owner"] = Megan.Id, ["dueDate"] = "2020-01-06" });

        StringAssert.Contains(Cards.ErrorUnder(again, "title"), "asks people to try harder");
        StringAssert.Contains(Cards.ErrorUnder(again, "dueDate"), "in the past");
        AssertShows(again, "owner", Megan);
        Assert.AreEqual("2020-01-06", Cards.Input(again, "dueDate")!["value"]!.GetValue<string>(), "the date is kept too");
        Assert.AreEqual("Be more careful with config", Cards.Input(again, "title")!["value"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task ARefusedActionCardKeepsAnOwnerChosenByEntraObjectId()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("action");

        var again = await chat.PressAsync(form, "Save action", new() { ["title"] = "Pay attention to alerts", ["owner"] = Megan.AadObjectId, ["dueDate"] = NextWeek });

        StringAssert.Contains(Cards.ErrorUnder(again, "title"), "asks people to try harder");
        AssertShows(again, "owner", Megan);
    }

    [TestMethod]
    public async Task AnOwnerChosenByChatIdIsStoredByEntraObjectId()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");

        var saved = await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Alert on canary error rate", ["owner"] = Megan.Id, ["dueDate"] = NextWeek });

        Assert.AreEqual("Megan Bowen", Cards.Facts(saved)["Owner"]);
        var edit = await chat.PressAsync(saved, "Edit");
        AssertShows(edit, "owner", Megan);
    }

    [TestMethod]
    public async Task AChatIdThatNamesNoOneIsNotStoredAsAnOwner()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");

        var again = await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Alert on canary error rate", ["owner"] = "user-id-9", ["dueDate"] = NextWeek });

        Assert.AreEqual("Please choose an owner.", Cards.ErrorUnder(again, "owner"));
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().ListAsync(chat.TenantId, PostmortemIdOf(again), CancellationToken.None)).Count);
    }

    [TestMethod]
    public async Task TheSchedulePreviewShowsTheOrganizerAndTheAttendeesByName()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var entry = await chat.SendAsync("entry", Megan);
        await chat.PressAsync(entry, "Save entry", new() { ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["actor"] = "Deploy pipeline", ["description"] = "Rolled out config 4711" }, Megan);

        var preview = await chat.SendAsync("schedule");

        AssertShows(preview, "organizer", Alex);
        AssertShows(preview, "attendees", Megan);
    }

    [TestMethod]
    public async Task TheSchedulePreviewShowsEveryContributorEvenBeyondTheUsualNumberOfChoices()
    {
        await using var chat = await StartAsync();
        var contributors = Enumerable.Range(0, 34).Select(i => new User($"29:contributor{i}", $"Contributor {i:00}", Guid.NewGuid().ToString())).ToList();
        await chat.SendAsync("new Checkout outage");
        var entry = await chat.SendAsync("entry");
        foreach (var person in contributors)
        {
            // One card, filled by each of them: each stores an entry of their own.
            await chat.PressAsync(entry, "Save entry", new() { ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["actor"] = "Deploy pipeline", ["description"] = "Rolled out config 4711" }, person);
        }

        var preview = await chat.SendAsync("schedule");

        AssertShows(preview, "organizer", Alex);
        AssertShows(preview, "attendees", [.. contributors]);
    }

    [TestMethod]
    public async Task TheFollowUpPreviewShowsTheActionOwnersByName()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Alert on canary error rate", ["owner"] = Megan.Id, ["dueDate"] = NextWeek });

        var preview = await chat.SendAsync("followup");

        AssertShows(preview, "organizer", Alex);
        AssertShows(preview, "attendees", Megan);
    }

    [TestMethod]
    public async Task ARefusedInviteKeepsTheOrganizerAndAttendeesChosenByChatId()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var preview = await chat.SendAsync("schedule");

        var again = await chat.PressAsync(preview, "Send invite", new() { ["date"] = "2020-01-06", ["organizer"] = Megan.Id, ["attendees"] = $"{Alex.Id},{Megan.AadObjectId}" });

        Assert.AreEqual("That time has already passed. Please pick a later one.", Cards.ErrorUnder(again, "time"));
        AssertShows(again, "organizer", Megan);
        AssertShows(again, "attendees", Alex, Megan);
    }

    /// <summary>The picker's value is the people's Entra object ids, and each has a choice with that id and their name.</summary>
    private static void AssertShows(JsonNode card, string pickerId, params User[] people)
    {
        var picker = Cards.Input(card, pickerId) ?? throw new AssertFailedException($"No input {pickerId} on the card: {card.ToJsonString()}");
        string value = picker["value"]?.GetValue<string>() ?? string.Empty;
        CollectionAssert.AreEquivalent(people.Select(p => p.AadObjectId).ToArray(), value.Split(',', StringSplitOptions.RemoveEmptyEntries), $"{pickerId}'s value: {value}");
        var choices = picker["choices"]!.AsArray().Select(c => (Title: c!["title"]!.GetValue<string>(), Value: c["value"]!.GetValue<string>())).ToList();
        foreach (var person in people)
        {
            CollectionAssert.Contains(choices, (person.Name, person.AadObjectId), $"{pickerId} offers {person.Name} as a choice: {picker.ToJsonString()}");
        }
    }

    private static string PostmortemIdOf(JsonNode card) =>
        Cards.Actions(card).Select(a => a["data"]?["postmortemId"]?.GetValue<string>()).First(id => id is not null)!;
}
