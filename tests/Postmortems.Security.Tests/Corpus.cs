using System.Text;
using System.Text.Json.Nodes;

namespace Postmortems.Security.Tests;

/// <summary>What a case must do besides never answering 5xx.</summary>
internal enum Expect
{
    /// <summary>Refused: 400 or 413 (or 501 for an unknown invoke), or an invoke error in the body; nothing stored.</summary>
    Refused,

    /// <summary>Answered politely (any status under 500); nothing stored: read-only verbs and commands, other tenants' ids.</summary>
    NoChange,

    /// <summary>Valid in shape, so it may save in the sender's own tenant; nothing of any other tenant changes.</summary>
    OwnTenantOnly,
}

/// <summary>One request of the corpus: a category for the report, a name that says what was mutated, and the body.</summary>
internal sealed record AttackCase(string Category, string Name, byte[] Body, Expect Expect)
{
    public override string ToString() => $"{Category}: {Name}";
}

/// <summary>Ids the corpus names: the sender's tenant (B) with its own postmortem, and another tenant (A) with its own.</summary>
internal sealed record CorpusIds(
    string ServiceUrl,
    string TenantB,
    string ConversationB,
    string PostmortemB,
    string EntryB,
    string EntryBETag,
    string ActionB,
    string ActionBETag,
    string TenantA,
    string PostmortemA,
    string EntryA,
    string EntryAETag,
    string ActionA,
    string ActionAETag)
{
    /// <summary>
    /// B's conversations, each with B's postmortem active, that the cases take turns in: the bot keeps under Teams'
    /// per-thread send limits (7 a second, 60 in 30 s) by waiting, so one chat would make the corpus wait, not fail.
    /// </summary>
    public IReadOnlyList<string> ConversationPool { get; init; } = [ConversationB];
}

/// <summary>
/// The bad-input corpus: valid message and invoke activities (every command, every card verb with realistic data), then
/// mutated: each required field dropped, each field's JSON type changed, huge strings, deep nesting, unknown invoke
/// names and verbs, other tenants' ids, OData filter characters in ids, hostile text in every text field. Deterministic:
/// the same seed gives the same cases, in the same order.
/// </summary>
internal static class Corpus
{
    public const int Seed = 9;

    public const string BotId = "28:11111111-2222-3333-4444-555555555555";
    public const string UserObjectId = "00000000-0000-0000-0000-0000000000020";

    public static readonly string[] Commands =
        ["help", "new Checkout outage", "summary", "entry", "timeline", "idea", "action", "actions", "whys", "takeaways", "status", "list", "switch 20261120-abc", "close", "schedule", "followup"];

    /// <summary>Verbs that only show something: whatever their data, nothing is stored.</summary>
    public static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.Ordinal)
    {
        "help", "entry.new", "entry.edit", "timeline.page", "action.new", "action.edit", "actions.page", "idea.new",
        "whys.new", "takeaway.new", "summary.edit", "status.show", "meeting.preview",
    };

    /// <summary>Commands that only show something.</summary>
    public static readonly HashSet<string> ReadOnlyCommands = new(StringComparer.Ordinal)
    {
        "help", "summary", "entry", "timeline", "idea", "action", "actions", "whys", "takeaways", "status", "list",
    };

    public static readonly string[] ODataIds =
        ["'", "\"", "(", ")", " eq ", " or ", " and ", "/", "\\", "#", "?", "%", "*", "W/\"*\"", "x' or PartitionKey ne 'x", "a%27%20or%201%20eq%201", "..", "%00"];

    public static readonly string[] HostileTexts =
    [
        "' or PartitionKey ne '",
        "\" or RowKey gt \"",
        "x') or (PartitionKey ne '",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click me](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "**bold** _it_ <at>Alex</at> {{DATE(2026-11-20T10:00:00Z)}}",
        "zero\u200Bwidth\u200D\uFEFF and \u202Eright-to-left\u202C",
        "control \u0000\u0001\u0007\u001B[31m\u007F chars",
        "emoji 🧯 and a lone surrogate-free astral 𝔘",
    ];

    public static Dictionary<string, JsonObject> VerbData(CorpusIds ids) => new(StringComparer.Ordinal)
    {
        ["help"] = [],
        ["entry.save"] = Data(ids, ("cardId", "card-e1"), ("occurredDate", "2026-11-20"), ("occurredTime", "14:05"), ("timeZone", "Europe/Paris"),
            ("actor", "Deploy pipeline"), ("description", "Rolled out config 4711"), ("outcome", "Errors rose to 12%"),
            ("expectations", "The canary would catch it"), ("assumptions", "Config goes through the canary"), ("kind", "action"), ("signals", "Canary dashboard")),
        ["entry.new"] = Data(ids),
        ["entry.edit"] = Data(ids, ("itemId", ids.EntryB), ("etag", ids.EntryBETag)),
        ["timeline.page"] = Data(ids, ("page", "2")),
        ["action.save"] = Data(ids, ("cardId", "card-a1"), ("title", "Route config changes through the canary stage"), ("owner", UserObjectId),
            ("dueDate", "2027-01-15"), ("category", "prevent")),
        ["action.new"] = Data(ids),
        ["action.edit"] = Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag)),
        ["action.status"] = Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag), ("status", "inProgress")),
        ["actions.page"] = Data(ids, ("page", "2")),
        ["idea.save"] = Data(ids, ("cardId", "card-i1"), ("category", "detect"), ("text", "Alert on checkout error rate")),
        ["idea.new"] = Data(ids),
        ["whys.save"] = Data(ids, ("cardId", "card-w1"), ("problem", "Checkout failed"), ("why1", "Config was bad"), ("why2", "No canary for config"),
            ("why3", "Config path is separate"), ("why4", "History"), ("why5", "Nobody owned it")),
        ["whys.new"] = Data(ids),
        ["takeaway.save"] = Data(ids, ("cardId", "card-t1"), ("text", "Config is code")),
        ["takeaway.new"] = Data(ids),
        ["summary.edit"] = Data(ids),
        ["summary.save"] = Data(ids, ("summary", "Checkout failed for 12% of customers"), ("customerImpact", "3,000 failed orders"), ("severity", "Sev2"),
            ("reportedBy", "Support"), ("timeZone", "Europe/Paris"), ("startedDate", "2026-11-20"), ("startedTime", "13:00"),
            ("detectedDate", "2026-11-20"), ("detectedTime", "13:20"), ("mitigatedDate", "2026-11-20"), ("mitigatedTime", "13:50")),
        ["postmortem.switch"] = Data(ids),
        ["meeting.preview"] = Data(ids, ("kind", "postmortem")),
        ["meeting.confirm"] = Data(ids, ("cardId", "card-m1"), ("kind", "postmortem"), ("zone", "Europe/Paris"), ("proposedOrganizer", UserObjectId),
            ("organizerZone", "Europe/Paris"), ("subject", "Postmortem: Checkout outage"), ("date", "2027-01-12"), ("time", "10:00"), ("duration", "60"),
            ("organizer", UserObjectId), ("attendees", UserObjectId)),
        ["reminder.done"] = Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag)),
        ["reminder.start"] = Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag)),
        ["reminder.move"] = Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag), ("newDueDate", "2027-02-01")),
        ["postmortem.channel"] = Data(ids),
    };

    public static JsonObject Message(CorpusIds ids, string text) => new()
    {
        ["type"] = "message",
        ["id"] = "m-" + Guid.NewGuid().ToString("N"),
        ["timestamp"] = "2026-11-23T10:00:00.000Z",
        ["localTimezone"] = "Europe/Paris",
        ["locale"] = "en-US",
        ["serviceUrl"] = ids.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:user-alex", ["name"] = "Alex Wilber", ["aadObjectId"] = UserObjectId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "Blameless Postmortems" },
        ["conversation"] = new JsonObject { ["id"] = ids.ConversationB, ["conversationType"] = "groupChat", ["tenantId"] = ids.TenantB },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = ids.TenantB } },
    };

    public static JsonObject Invoke(CorpusIds ids, string verb, JsonObject data)
    {
        var activity = Message(ids, string.Empty);
        activity.Remove("text");
        activity.Remove("textFormat");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "1575667808184";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "a1", ["verb"] = verb, ["data"] = data.DeepClone() },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The whole corpus for the sender's tenant B, with tenant A's ids for the cross-tenant cases.</summary>
    public static IReadOnlyList<AttackCase> Build(CorpusIds ids)
    {
        var random = new Random(Seed);
        var cases = new List<AttackCase>();
        var verbs = VerbData(ids);

        // 1. Every required envelope field dropped, on a message and on an invoke: 400.
        string[][] required = [["type"], ["channelId"], ["serviceUrl"], ["conversation", "id"], ["recipient", "id"], ["from", "id"], ["conversation"], ["from"], ["recipient"]];
        foreach (var path in required)
        {
            foreach (var (kind, activity) in new[] { ("message", Message(ids, "new Dropped field")), ("invoke", Invoke(ids, "entry.save", verbs["entry.save"])) })
            {
                Remove(activity, path);
                Add(cases, "missing required field", $"{kind} without {string.Join('.', path)}", activity, Expect.Refused, ids);
            }
        }

        // The tenant is read from channelData.tenant.id, else conversation.tenantId: without both it is unknown.
        foreach (var (kind, activity) in new[] { ("message", Message(ids, "new Dropped tenant")), ("invoke", Invoke(ids, "entry.save", verbs["entry.save"])) })
        {
            activity.Remove("channelData");
            ((JsonObject)activity["conversation"]!).Remove("tenantId");
            Add(cases, "missing required field", $"{kind} without any tenant id", activity, Expect.Refused, ids);
        }

        // Required ids that are there but blank, or longer than a stored reference holds.
        foreach (string[] path in new[] { new[] { "serviceUrl" }, ["conversation", "id"], ["recipient", "id"], ["from", "id"], ["channelData", "tenant", "id"] })
        {
            foreach (string value in new[] { " ", "\t\n", new string('i', 1025) })
            {
                var activity = Message(ids, "new Blank id");
                Set(activity, path, JsonValue.Create(path[0] == "serviceUrl" && value.Length > 3 ? ids.ServiceUrl + value : value));
                if (path[0] == "channelData")
                {
                    ((JsonObject)activity["conversation"]!).Remove("tenantId");
                }

                Add(cases, "missing required field", $"{string.Join('.', path)} = {Describe(value)}", activity, Expect.Refused, ids);
            }
        }

        // 2. Each envelope field's JSON type changed: required ones are refused, optional ones may be ignored.
        JsonNode?[] wrongTypes = [JsonValue.Create(42), new JsonArray(JsonValue.Create("x")), new JsonObject { ["x"] = 1 }, null, JsonValue.Create(true)];
        string[][] fields =
        [
            ["type"], ["channelId"], ["serviceUrl"], ["conversation", "id"], ["recipient", "id"], ["from", "id"], ["channelData", "tenant", "id"],
            ["id"], ["timestamp"], ["localTimezone"], ["locale"], ["text"], ["from", "aadObjectId"], ["from", "name"], ["conversation", "conversationType"],
            ["conversation", "tenantId"], ["entities"], ["replyToId"], ["name"], ["value"], ["value", "action"], ["value", "action", "type"],
            ["value", "action", "verb"], ["value", "action", "data"],
        ];
        var requiredLeaves = new HashSet<string>(StringComparer.Ordinal) { "type", "channelId", "serviceUrl", "conversation.id", "recipient.id", "from.id" };
        foreach (var path in fields)
        {
            string name = string.Join('.', path);
            foreach (var value in wrongTypes)
            {
                bool invokeField = path[0] is "name" or "value" or "replyToId";
                // Read-only verb and command, so a mutation of an optional field that is simply ignored stores nothing.
                var activity = invokeField || random.Next(2) == 0 ? Invoke(ids, "timeline.page", verbs["timeline.page"]) : Message(ids, "status");
                Set(activity, path, value?.DeepClone());
                var expect = requiredLeaves.Contains(name) ? Expect.Refused : Expect.NoChange;
                Add(cases, "wrong JSON type", $"{activity["type"]} with {name} = {value?.ToJsonString() ?? "null"}", activity, expect, ids);
            }
        }

        // 4. Every card verb: as sent, then each data key dropped, each data value's type changed, and hostile text in every text field.
        foreach (var (verb, data) in verbs)
        {
            var writeExpect = ReadOnlyVerbs.Contains(verb) ? Expect.NoChange : Expect.OwnTenantOnly;
            Add(cases, "card verbs", verb + " as sent", Invoke(ids, verb, (JsonObject)data.DeepClone()), writeExpect, ids);
            foreach (string key in data.Select(p => p.Key).ToList())
            {
                var dropped = (JsonObject)data.DeepClone();
                dropped.Remove(key);
                Add(cases, "card data: missing field", $"{verb} without {key}", Invoke(ids, verb, dropped), writeExpect, ids);

                var retyped = (JsonObject)data.DeepClone();
                var wrong = wrongTypes[random.Next(wrongTypes.Length)];
                retyped[key] = wrong?.DeepClone();
                Add(cases, "card data: wrong JSON type", $"{verb} with {key} = {wrong?.ToJsonString() ?? "null"}", Invoke(ids, verb, retyped), writeExpect, ids);

                var hostile = (JsonObject)data.DeepClone();
                string text = key is "postmortemId" or "itemId" or "etag"
                    ? ODataIds[random.Next(ODataIds.Length)]
                    : HostileTexts[random.Next(HostileTexts.Length)];
                hostile[key] = key is "postmortemId" or "itemId" or "etag" ? text : data[key]!.GetValue<string>() + " " + text;
                Add(cases, key is "postmortemId" or "itemId" or "etag" ? "odata characters in ids" : "html, markdown and odata text",
                    $"{verb}.{key} = {Describe(text)}", Invoke(ids, verb, hostile), key is "postmortemId" or "itemId" or "etag" ? Expect.NoChange : writeExpect, ids);
            }
        }

        // 5. Every OData character as each id of an action status change.
        foreach (string odata in ODataIds)
        {
            foreach (string key in new[] { "postmortemId", "itemId", "etag" })
            {
                var data = (JsonObject)verbs["action.status"].DeepClone();
                data[key] = key == "postmortemId" ? ids.PostmortemB + odata : odata;
                Add(cases, "odata characters in ids", $"action.status {key} = {Describe(odata)}", Invoke(ids, "action.status", data), Expect.NoChange, ids);
            }
        }

        // 6. Another tenant's ids in every card verb (A's postmortem id, item id and etag), sent by tenant B.
        foreach (var (verb, data) in verbs)
        {
            if (verb == "help")
            {
                continue;
            }

            var stolen = (JsonObject)data.DeepClone();
            stolen["postmortemId"] = ids.PostmortemA;
            if (stolen.ContainsKey("itemId"))
            {
                bool action = verb.StartsWith("action", StringComparison.Ordinal) || verb.StartsWith("reminder", StringComparison.Ordinal);
                stolen["itemId"] = action ? ids.ActionA : ids.EntryA;
                stolen["etag"] = action ? ids.ActionAETag : ids.EntryAETag;
            }

            Add(cases, "other tenant's ids", verb + " naming tenant A's postmortem", Invoke(ids, verb, stolen), Expect.NoChange, ids);

            // B's own postmortem with A's item: the item is looked up in B's partition only.
            if (data.ContainsKey("itemId"))
            {
                var mixed = (JsonObject)stolen.DeepClone();
                mixed["postmortemId"] = ids.PostmortemB;
                Add(cases, "other tenant's ids", verb + " naming tenant A's item under B's postmortem", Invoke(ids, verb, mixed), Expect.NoChange, ids);
            }
        }

        var asA = Message(ids, "switch " + ids.PostmortemA);
        Add(cases, "other tenant's ids", "switch to tenant A's postmortem", asA, Expect.NoChange, ids);

        // An activity that claims tenant A in conversation.tenantId while channelData says B: B is who Teams says it is.
        var claimsA = Invoke(ids, "entry.edit", verbs["entry.edit"]);
        claimsA["conversation"]!["tenantId"] = ids.TenantA;
        Add(cases, "other tenant's ids", "conversation.tenantId of tenant A", claimsA, Expect.NoChange, ids);

        // 7. Unknown invoke names and verbs. (composeExtension/query, fetchTask and submitAction are the message extension's:
        // MessageExtensionAttackTests sends them their own bad input.)
        foreach (string name in new[] { "composeExtension/querySettingUrl", "signin/verifyState", "fileConsent/invoke", "actionableMessage/executeAction", "adaptiveCard/Action", "", "../../admin", new string('n', 5000) })
        {
            var activity = Invoke(ids, "entry.save", verbs["entry.save"]);
            activity["name"] = name;
            Add(cases, "unknown invoke names and verbs", "invoke name " + Describe(name), activity, Expect.Refused, ids);
        }

        foreach (string verb in new[] { "entry.delete", "admin", "ENTRY.SAVE", "entry.save ", "", "constructor", "__proto__", "toString", new string('v', 10_000) })
        {
            Add(cases, "unknown invoke names and verbs", "verb " + Describe(verb), Invoke(ids, verb, verbs["entry.save"]), Expect.Refused, ids);
        }

        var submitType = Invoke(ids, "entry.save", verbs["entry.save"]);
        submitType["value"]!["action"]!["type"] = "Action.Submit";
        Add(cases, "unknown invoke names and verbs", "Action.Submit in an adaptiveCard/action", submitType, Expect.Refused, ids);

        var unknownType = Message(ids, "help");
        unknownType["type"] = "deleteUserData";
        Add(cases, "unknown invoke names and verbs", "activity type deleteUserData", unknownType, Expect.NoChange, ids);

        // 8. Huge strings: just over the body limit and 1 MB (413), and big ones under it (stored text stays bounded).
        foreach (var (label, size, expect) in new[] { ("just over 256 KB", (256 * 1024) + 1, Expect.Refused), ("1 MB", 1024 * 1024, Expect.Refused), ("200 KB", 200 * 1024, Expect.OwnTenantOnly), ("70 KB", 70 * 1024, Expect.OwnTenantOnly) })
        {
            foreach (string key in new[] { "description", "actor" })
            {
                var data = (JsonObject)verbs["entry.save"].DeepClone();
                data[key] = new string('x', size);
                Add(cases, "huge strings", $"entry.save.{key} of {label}", Invoke(ids, "entry.save", data), expect, ids);
            }

            Add(cases, "huge strings", $"message text of {label}", Message(ids, "new " + new string('t', size)), expect, ids);
            Add(cases, "huge strings", $"postmortemId of {label}", Invoke(ids, "entry.edit", Data(ids, ("postmortemId", new string('p', size)))), expect == Expect.Refused ? Expect.Refused : Expect.NoChange, ids);
            Add(cases, "huge strings", $"conversation id of {label}", With(Message(ids, "help"), a => a["conversation"]!["id"] = new string('c', size)), expect == Expect.Refused ? Expect.Refused : Expect.NoChange, ids);
            Add(cases, "huge strings", $"tenant id of {label}", With(Message(ids, "help"), a => a["channelData"]!["tenant"]!["id"] = new string('c', size)), Expect.Refused, ids);
        }

        // 9. Deep nesting: 65+ levels anywhere is refused; 60 levels in a field nobody reads is harmless.
        foreach (int depth in new[] { 65, 100, 1000 })
        {
            AddDeep(cases, $"{depth} levels in card data", With(Invoke(ids, "entry.save", verbs["entry.save"]), a => a["value"]!["action"]!["data"]!["description"] = DeepMarker), depth, Expect.Refused);
            AddDeep(cases, $"{depth} levels in channelData", With(Message(ids, "help"), a => a["channelData"]!["nested"] = DeepMarker), depth, Expect.Refused);
        }

        // The activity itself is 2 levels deep at the marker, so 60 more stays under the limit of 64.
        AddDeep(cases, "60 levels in an unknown field", With(Message(ids, "status"), a => a["someFutureField"] = DeepMarker), 60, Expect.NoChange);
        string deepArrays = "{\"type\":\"message\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";
        cases.Add(new AttackCase("deep JSON", "5000 nested arrays", Encoding.UTF8.GetBytes(deepArrays), Expect.Refused));

        // 10. Not JSON, or not an object.
        foreach (string raw in new[] { "", "null", "[]", "42", "\"message\"", "{", "{\"type\":\"message\",}", "{\"type\":\"message\"}{\"type\":\"message\"}", "\uFEFF{}", "{\"type\":\"message\",\"type\":\"invoke\"}", "{\"a\":\"\\ud800\"}" })
        {
            cases.Add(new AttackCase("malformed JSON", "body " + Describe(raw), Encoding.UTF8.GetBytes(raw), Expect.Refused));
        }

        // A lone surrogate is valid JSON syntax ("\ud800") but no string: in a card field, in message text, in a key.
        foreach (var (name, activity) in new[]
        {
            ("entry.save.description", Invoke(ids, "entry.save", With(Data(ids), d => d["description"] = "__surrogate__"))),
            ("action.status.status", Invoke(ids, "action.status", With(Data(ids, ("itemId", ids.ActionB), ("etag", ids.ActionBETag)), d => d["status"] = "__surrogate__"))),
            ("the verb", Invoke(ids, "__surrogate__", Data(ids))),
            ("message text", Message(ids, "__surrogate__")),
            ("from.name", With(Message(ids, "status"), a => a["from"]!["name"] = "__surrogate__")),
            ("localTimezone", With(Message(ids, "status"), a => a["localTimezone"] = "__surrogate__")),
        })
        {
            string json = activity.ToJsonString().Replace("__surrogate__", "x\\ud800y", StringComparison.Ordinal);
            cases.Add(new AttackCase("malformed JSON", "lone surrogate in " + name, Encoding.UTF8.GetBytes(json), Expect.NoChange));
        }

        string keyed = Invoke(ids, "entry.edit", Data(ids, ("__surrogate__", "x"))).ToJsonString().Replace("__surrogate__", "k\\udc00", StringComparison.Ordinal);
        cases.Add(new AttackCase("malformed JSON", "lone surrogate in a card data key", Encoding.UTF8.GetBytes(keyed), Expect.NoChange));

        cases.Add(new AttackCase("malformed JSON", "invalid UTF-8", [(byte)'{', 0xC3, 0x28, (byte)'}'], Expect.Refused));

        // 11. Every command with hostile arguments, and every hostile text as a message; last, as close and new change the chat.
        foreach (string command in Commands)
        {
            string word = command.Split(' ')[0];
            string text = HostileTexts[random.Next(HostileTexts.Length)];
            var expect = ReadOnlyCommands.Contains(word) ? Expect.NoChange : Expect.OwnTenantOnly;
            Add(cases, "commands", $"{word} as sent", Message(ids, command), expect, ids);
            Add(cases, "commands", $"{word} + hostile text", Message(ids, word + " " + text), expect, ids);
            Add(cases, "commands", $"<at>Bot</at> {word.ToUpperInvariant()} + OData", Message(ids, "<at>Blameless Postmortems</at> " + word.ToUpperInvariant() + " " + ODataIds[random.Next(ODataIds.Length)]), expect, ids);
        }

        foreach (string text in HostileTexts)
        {
            Add(cases, "html, markdown and odata text", "message: " + Describe(text), Message(ids, text), Expect.NoChange, ids);
        }

        return cases;
    }

    /// <summary>A short printable description of a hostile string for test output.</summary>
    public static string Describe(string text)
    {
        string shown = text.Length > 40 ? text[..40] + $"…({text.Length})" : text;
        var builder = new StringBuilder();
        foreach (char c in shown)
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u200B' or '\u200D' or '\uFEFF' or '\u202E' or '\u202C' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }

    private static JsonObject Data(CorpusIds ids, params (string Key, string Value)[] values)
    {
        var data = new JsonObject { ["postmortemId"] = ids.PostmortemB };
        foreach (var (key, value) in values)
        {
            data[key] = value;
        }

        return data;
    }

    private static JsonObject With(JsonObject activity, Action<JsonObject> change)
    {
        change(activity);
        return activity;
    }

    private const string DeepMarker = "__deep__";

    /// <summary>Nesting written as text: JsonNode itself refuses to write past 64 levels.</summary>
    private static void AddDeep(List<AttackCase> cases, string name, JsonObject activity, int depth, Expect expect)
    {
        var nested = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            nested.Append(i % 2 == 0 ? "{\"n\":" : "[");
        }

        nested.Append("\"bottom\"");
        for (int i = depth - 1; i >= 0; i--)
        {
            nested.Append(i % 2 == 0 ? '}' : ']');
        }

        string json = activity.ToJsonString().Replace("\"" + DeepMarker + "\"", nested.ToString(), StringComparison.Ordinal);
        cases.Add(new AttackCase("deep JSON", name, Encoding.UTF8.GetBytes(json), expect));
    }

    private static void Add(List<AttackCase> cases, string category, string name, JsonObject activity, Expect expect, CorpusIds? ids = null)
    {
        if (ids is not null && activity["conversation"]?["id"] is JsonValue id && id.TryGetValue(out string? conversation) && conversation == ids.ConversationB)
        {
            activity["conversation"]!["id"] = ids.ConversationPool[cases.Count % ids.ConversationPool.Count];
        }

        cases.Add(new AttackCase(category, name, Encoding.UTF8.GetBytes(activity.ToJsonString()), expect));
    }

    private static void Remove(JsonObject activity, string[] path)
    {
        JsonNode? node = activity;
        for (int i = 0; i < path.Length - 1; i++)
        {
            node = node?[path[i]];
        }

        (node as JsonObject)?.Remove(path[^1]);
    }

    private static void Set(JsonObject activity, string[] path, JsonNode? value)
    {
        JsonNode? node = activity;
        for (int i = 0; i < path.Length - 1; i++)
        {
            node = node?[path[i]];
        }

        if (node is JsonObject parent)
        {
            parent[path[^1]] = value;
        }
    }
}
