using System.Text.Json;
using Postmortems.Bot.MessageExtension;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>What the entry form starts with when it is made from a message (PROTOCOL.md I.2 payloads).</summary>
[TestClass]
public sealed class TimelinePrefillTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static MessagePayload Payload(string json) =>
        MessagePayload.From(JsonDocument.Parse("{\"commandId\":\"addToTimeline\",\"messagePayload\":" + json + "}").RootElement.Clone())!;

    [TestMethod]
    public void APersonsMessageGivesItsTimeInTheViewersZoneToTheSecondItsSenderAndItsText()
    {
        var message = Payload("""
            { "id": "1763640000123", "createdDateTime": "2026-11-20T09:41:07.123Z",
              "from": { "user": { "id": "aad-1", "displayName": "Ada Lovelace" }, "application": null },
              "body": { "contentType": "html", "content": "<p>Rolling back <at id=\"0\">payments-api</at> now</p>" },
              "linkToMessage": "https://teams.microsoft.com/l/message/19:abc@thread.v2/1763640000123" }
            """);

        var prefill = TimelinePrefill.From(message, "America/New_York", Now);

        Assert.AreEqual("2026-11-20", prefill.Values["occurredDate"]);
        Assert.AreEqual("04:41:07", prefill.Values["occurredTime"]);
        Assert.AreEqual("America/New_York", prefill.Values["timeZone"]);
        Assert.AreEqual("Ada Lovelace", prefill.Values["actor"]);
        Assert.AreEqual("Rolling back payments-api now", prefill.Values["description"]);
        Assert.AreEqual("action", prefill.Values["kind"]);
        Assert.IsNull(prefill.Note);
        Assert.AreEqual("teams.microsoft.com", message.Link!.Host);
    }

    [TestMethod]
    public void AToolsMessageNamesTheToolAsTheActorAndIsADetection()
    {
        var message = Payload("""
            { "id": "1", "createdDateTime": "2026-11-20T09:00:00Z",
              "from": { "user": null, "application": { "id": "app", "displayName": "PagerDuty" } },
              "body": { "contentType": "text", "content": "Error rate above 5%" } }
            """);

        var prefill = TimelinePrefill.From(message, "UTC", Now);

        Assert.AreEqual("PagerDuty", prefill.Values["actor"]);
        Assert.AreEqual("detection", prefill.Values["kind"]);
        Assert.IsTrue(message.SentByApplication);
    }

    [TestMethod]
    public void AMissingTimeLeavesTheTimeEmptyWithANote()
    {
        var prefill = TimelinePrefill.From(Payload("""{ "id": "1", "body": { "content": "x" } }"""), "UTC", Now);

        Assert.IsNull(prefill.Values["occurredDate"]);
        Assert.IsNull(prefill.Values["occurredTime"]);
        Assert.Contains("didn't say when", prefill.Note!);
    }

    [TestMethod]
    public void ATimeInTheFutureIsNotBelievedAndSaysSo()
    {
        var prefill = TimelinePrefill.From(Payload("""{ "id": "1", "createdDateTime": "2027-01-01T00:00:00Z", "body": { "content": "x" } }"""), "UTC", Now);

        Assert.IsNull(prefill.Values["occurredTime"]);
        Assert.Contains("in the future", prefill.Note!);
    }

    [TestMethod]
    public void AMessageWithOnlyAnAttachmentAsksWhatItShows()
    {
        var prefill = TimelinePrefill.From(Payload("""{ "id": "1", "createdDateTime": "2026-11-20T09:00:00Z", "body": { "contentType": "html", "content": "" }, "attachments": [ { "name": "graph.png" } ] }"""), "UTC", Now);

        Assert.IsNull(prefill.Values["description"]);
        Assert.Contains("only an attachment", prefill.Note!);
    }

    [TestMethod]
    public void AMessageWithNoBodyAsksWhatHappened()
    {
        var prefill = TimelinePrefill.From(Payload("""{ "id": "1", "createdDateTime": "2026-11-20T09:00:00Z" }"""), "UTC", Now);

        Assert.Contains("no text", prefill.Note!);
    }

    [TestMethod]
    public void AHostileSenderNameBecomesOneLineKeptAsTyped()
    {
        var prefill = TimelinePrefill.From(Payload("""{ "id": "1", "from": { "user": { "displayName": "Eve\r\n](https://evil.example) <b>;" } }, "body": { "content": "x" } }"""), "UTC", Now);

        Assert.AreEqual("Eve ](https://evil.example) <b>;", prefill.Values["actor"]);
    }

    [TestMethod]
    public void ALinkThatIsNotAnHttpsTeamsLinkIsNotKept()
    {
        Assert.IsNull(Payload("""{ "id": "1", "linkToMessage": "javascript:alert(1)" }""").Link);
        Assert.IsNull(Payload("""{ "id": "1", "linkToMessage": "https://evil.example/l/message/1" }""").Link);
        Assert.IsNull(Payload("""{ "id": "1", "linkToMessage": "http://teams.microsoft.com/l/message/1" }""").Link);
        Assert.IsNull(Payload("""{ "id": "1", "linkToMessage": "" }""").Link);
    }

    [TestMethod]
    public void AnIdThatIsNotATeamsMessageIdIsNotUsable()
    {
        Assert.IsTrue(Payload("""{ "id": "1763640000123" }""").HasUsableId);
        Assert.IsFalse(Payload("""{ "id": "1|2" }""").HasUsableId);
        Assert.IsFalse(Payload("""{ "id": 42 }""").HasUsableId);
        Assert.IsFalse(Payload("""{ }""").HasUsableId);
        Assert.IsFalse(Payload("{ \"id\": \"" + new string('1', 65) + "\" }").HasUsableId);
    }
}
