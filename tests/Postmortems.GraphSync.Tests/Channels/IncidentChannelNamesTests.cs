using Postmortems.GraphSync.Channels;

namespace Postmortems.GraphSync.Tests.Channels;

[TestClass]
public sealed class IncidentChannelNamesTests
{
    private static readonly DateOnly Day = new(2026, 11, 24);

    [TestMethod]
    public void NameIsTheDateRcaAndTheTitleSlug()
    {
        Assert.AreEqual("2026-11-24-rca-checkout-returned-500s-for-40", IncidentChannelNames.For(Day, "Checkout returned 500s for 40 minutes"));
        Assert.AreEqual("2026-11-24-rca-dns-outage", IncidentChannelNames.For(Day, "DNS outage"));
    }

    [TestMethod]
    public void ForbiddenCharactersBecomeSingleDashes()
    {
        string name = IncidentChannelNames.For(Day, "~#%&*{}+/\\:<>?|'\",.. API: 5xx  on /orders?id=1 & \"retry\" ...");

        Assert.AreEqual("2026-11-24-rca-api-5xx-on-orders-id-1-retry", name);
        Assert.IsTrue(IncidentChannelNames.IsValid(name));
    }

    [TestMethod]
    public void LongTitleIsCutAtAWordToFitFiftyCharactersWithoutATrailingDash()
    {
        string name = IncidentChannelNames.For(Day, "Payments in the EU region were declined because the fraud model timed out after a deploy");

        Assert.AreEqual("2026-11-24-rca-payments-in-the-eu-region-were", name);
        Assert.IsLessThanOrEqualTo(50, name.Length);
        Assert.IsFalse(name.EndsWith('-'));
    }

    [TestMethod]
    public void CutThatFallsOnASeparatorDropsIt()
    {
        // 35 characters fit after the prefix; the 36th would be the dash.
        string name = IncidentChannelNames.For(Day, new string('a', 35) + " tail");

        Assert.AreEqual("2026-11-24-rca-" + new string('a', 35), name);
        Assert.AreEqual(50, name.Length);
    }

    [TestMethod]
    public void SingleLongWordIsCutHard()
    {
        Assert.AreEqual("2026-11-24-rca-" + new string('x', 35), IncidentChannelNames.For(Day, new string('x', 200)));
    }

    [TestMethod]
    [DataRow("Échec de la réplication à Zürich", "2026-11-24-rca-echec-de-la-replication-a-zurich")]
    [DataRow("Straße gesperrt, Ærø Øresund", "2026-11-24-rca-strasse-gesperrt-aero-oresund")]
    [DataRow("Łódź señal caída", "2026-11-24-rca-lodz-senal-caida")]
    public void AccentsAreFoldedToAscii(string title, string expected)
    {
        Assert.AreEqual(expected, IncidentChannelNames.For(Day, title));
    }

    [TestMethod]
    public void LettersWithoutAnAsciiFormAreKept()
    {
        string name = IncidentChannelNames.For(Day, "Сбой базы данных");

        Assert.AreEqual("2026-11-24-rca-сбой-базы-данных", name);
        Assert.IsTrue(IncidentChannelNames.IsValid(name));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("!!! ??? ...")]
    [DataRow("🔥🔥")]
    public void EmptyTitleBecomesIncident(string? title)
    {
        Assert.AreEqual("2026-11-24-rca-incident", IncidentChannelNames.For(Day, title));
    }

    [TestMethod]
    public void ControlCharactersNeverReachTheName()
    {
        string name = IncidentChannelNames.For(Day, "db\u0000down\u0085now\u009F\t\r\n");

        Assert.AreEqual("2026-11-24-rca-db-down-now", name);
    }

    [TestMethod]
    [DataRow("2026-11-24-rca-ok", true)]
    [DataRow("Incident review", true)]
    [DataRow("_hidden", false)]
    [DataRow(".hidden", false)]
    [DataRow("ends with.", false)]
    [DataRow("two..dots", false)]
    [DataRow("a,b", false)]
    [DataRow("a~b", false)]
    [DataRow("a#b", false)]
    [DataRow("a%b", false)]
    [DataRow("a&b", false)]
    [DataRow("a*b", false)]
    [DataRow("a{b}", false)]
    [DataRow("a+b", false)]
    [DataRow("a/b", false)]
    [DataRow("a\\b", false)]
    [DataRow("a:b", false)]
    [DataRow("a<b>", false)]
    [DataRow("a?b", false)]
    [DataRow("a|b", false)]
    [DataRow("a'b", false)]
    [DataRow("a\"b", false)]
    [DataRow("a\u0001b", false)]
    [DataRow("a\u0090b", false)]
    [DataRow("General", false)]
    [DataRow("general", false)]
    [DataRow("forms", false)]
    [DataRow("CON", false)]
    [DataRow("com7", false)]
    [DataRow("LPT1", false)]
    [DataRow("desktop.ini", false)]
    [DataRow("_vti_", false)]
    [DataRow("", false)]
    public void TeamsChannelNameRulesAreChecked(string name, bool valid)
    {
        Assert.AreEqual(valid, IncidentChannelNames.IsValid(name));
    }

    [TestMethod]
    public void FiftyOneCharactersIsTooLong()
    {
        Assert.IsTrue(IncidentChannelNames.IsValid(new string('a', 50)));
        Assert.IsFalse(IncidentChannelNames.IsValid(new string('a', 51)));
    }

    [TestMethod]
    public void EveryGeneratedNameIsValid()
    {
        string[] titles =
        [
            "General", "forms", "CON", "_vti_", ".hidden", "ends.", "..", "a" + new string('.', 80), new string('x', 200),
            "Ünïcödé ßtraße", "<script>alert(1)</script>", "**bold** [link](javascript:x)",
        ];

        foreach (string title in titles)
        {
            string name = IncidentChannelNames.For(Day, title);
            Assert.IsTrue(IncidentChannelNames.IsValid(name), name);
            Assert.StartsWith("2026-11-24-rca-", name);
        }
    }
}
