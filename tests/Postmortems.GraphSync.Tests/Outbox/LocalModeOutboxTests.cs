using System.Text.Json;
using Ical.Net;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>Without Graph credentials, the same outbox writes the invite as an .ics file with the same agenda.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LocalModeOutboxTests
{
    [TestMethod]
    public async Task ConfirmedInviteIsWrittenAsAnIcsFileWithTheAgendaAndThePrimeDirective()
    {
        string folder = Path.Combine(Path.GetTempPath(), "outbox-invites-" + Guid.NewGuid().ToString("N"));
        await using var harness = await GraphSyncHarness.StartAsync(graph: false, inviteFolder: folder);
        var postmortem = await harness.SeedPostmortemAsync("Search was slow <b>for everyone</b>");
        Assert.IsFalse(harness.Scheduler.SendsInvites);

        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        Assert.AreEqual(1, await harness.RunWorkerAsync());

        var item = (await harness.Outbox.ListAsync()).Single();
        Assert.AreEqual(OutboxStatus.Sent, item.Status);
        var sent = JsonSerializer.Deserialize<MeetingSent>(item.Result!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.IsTrue(sent.LocalFile!.StartsWith(folder, StringComparison.Ordinal), sent.LocalFile);

        var calendar = Calendar.Load(await File.ReadAllTextAsync(sent.LocalFile))!;
        var invite = calendar.Events.Single();
        StringAssert.Contains(invite.Description, Practice.PrimeDirective);
        StringAssert.Contains(invite.Description, "Agenda");
        Assert.AreEqual(new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(invite.Start!.AsUtc, TimeSpan.Zero));
        Assert.AreEqual("sent", harness.Observer.Told.Single().What);
    }
}
