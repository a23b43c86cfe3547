using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Postmortems.Core.Actions;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;
using Postmortems.Tabs.Export;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Export;

/// <summary>
/// The Markdown export read back by a real CommonMark renderer (Markdig, plain CommonMark and with its GitHub-style
/// extensions): hostile text and names come back as the words typed, with no link, emphasis, heading, list, code or
/// HTML of their own, and ordinary text is written without needless backslashes.
/// </summary>
[TestClass]
public sealed class MarkdownExportTests
{
    private const string HostileLine =
        "<script>alert(1)</script> **bold** __bold__ [link](https://evil.example) ![img](x) `code` ~~gone~~ _em_ *em* "
        + "@everyone back\\slash \\*not\\* &amp; &#65; <b>x</b> <https://evil.example> https://evil.example www.evil.example a|b ##";

    private const string HostileBlock =
        HostileLine + "\n# heading\n> quote\n- item\n+ item\n* item\n1. one\n2) two\n===\n---\n___\n    indented\n[ref]: https://evil.example\n"
        + "```\n| a | b |\n|---|---|\n<div>html block</div>\nends with a backslash \\";

    private static readonly string[] HostileNames =
    [
        "Mallory](https://evil.example) *Boss* # [x](y) <at>Megan</at> @Alex \\",
        "- Eve _the_ `admin` <img src=x onerror=alert(1)> &lt;",
        "1. Trent > ~~Bob~~ | www.evil.example",
    ];

    private static readonly MarkdownPipeline CommonMark = new MarkdownPipelineBuilder().Build();
    private static readonly MarkdownPipeline WithExtensions = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    [TestMethod]
    public void HostileTextAndNamesRenderAsTextWithNoStructureOfTheirOwn()
    {
        string hostile = MarkdownExport.Write(Document(HostileBlock, HostileLine, HostileNames));
        string plain = MarkdownExport.Write(Document(SameLines(HostileBlock), "plain", ["Plain name", "Plain name", "Plain name"]));

        foreach (var pipeline in new[] { CommonMark, WithExtensions })
        {
            // Same shape as the document with plain words in every field: no node the text brought with it.
            CollectionAssert.AreEqual(Shape(plain, pipeline), Shape(hostile, pipeline), hostile);

            var parsed = Markdown.Parse(hostile, pipeline);
            Assert.IsFalse(parsed.Descendants().Any(n => n is LinkInline or AutolinkInline or HtmlInline or HtmlBlock or CodeInline or CodeBlock or HtmlEntityInline), hostile);

            string text = Markdown.ToPlainText(hostile, pipeline);
            foreach (string line in HostileBlock.Split('\n').Select(l => l.Trim()))
            {
                Assert.Contains(line, text, $"the line \"{line}\" reads as typed");
            }

            Assert.Contains(HostileLine.TrimEnd('#').Trim(), text);
            foreach (string name in HostileNames)
            {
                Assert.Contains(name, text, $"the name \"{name}\" reads as typed");
            }
        }
    }

    [TestMethod]
    [DataRow("Error rate 0.1% at 09:10 for on-call, R&D and snake_case names; 2+2=4, #42 (see a > b) 3.5 x 1) ok")]
    [DataRow("Alex's deploy: 12.3 MB (50%) - then \"rollback\" at 10:05!")]
    public void OrdinaryTextIsWrittenWithoutBackslashes(string ordinary)
    {
        string markdown = MarkdownExport.Write(Document(ordinary, ordinary, [ordinary]));

        Assert.Contains("\n" + ordinary + "\n", markdown, "the summary, as typed");
        Assert.Contains("# " + ordinary + "\n", markdown, "the title, as typed");
        Assert.DoesNotContain("\\", markdown);
        Assert.Contains(ordinary, Markdown.ToPlainText(markdown, CommonMark));
    }

    [TestMethod]
    [DataRow("1. first", "1\\. first")]
    [DataRow("2) second", "2\\) second")]
    [DataRow("- item", "\\- item")]
    [DataRow("+ item", "\\+ item")]
    [DataRow("# heading", "\\# heading")]
    [DataRow("> quote", "\\> quote")]
    [DataRow("===", "\\===")]
    [DataRow("2024.10 release", "2024.10 release")]
    [DataRow("on-call + ops #1", "on-call + ops #1")]
    [DataRow("snake_case _em_", "snake_case \\_em\\_")]
    [DataRow("R&D &amp; &#65;", "R&D \\&amp; \\&#65;")]
    [DataRow("see https://x.example and www.x.example", "see https\\://x.example and www\\.x.example")]
    public void BlockLinesEscapeOnlyWhatTheirPositionNeeds(string line, string expected)
    {
        Assert.AreEqual(expected, MarkdownText.Block(line));
    }

    [TestMethod]
    public void SeverityReadsAsOnTheCardsAndIdeaCategoriesSitBelowTheirSection()
    {
        string markdown = MarkdownExport.Write(Document("Summary", "Line", ["Megan Bowen"]));

        Assert.Contains("- **Severity:** Sev 2 (major)\n", markdown);
        string[] headings = ["## Remediation ideas", "### Detect", "### React", "### Quick fix", "### Prevent", "### Other areas of risk", "## Actions"];
        var positions = headings.Select(h => markdown.IndexOf("\n" + h + "\n", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(positions.All(p => p >= 0), markdown);
        CollectionAssert.AreEqual(positions.Order().ToList(), positions, "document order");
        Assert.DoesNotContain("\n## Detect", markdown);
    }

    [TestMethod]
    public void SectionsFollowThePracticesOrder()
    {
        string markdown = MarkdownExport.Write(Document("Summary", "Line", ["Megan Bowen"]));

        string[] headings =
        [
            "## Summary", "## Impact", "## Timeline", "## Contributing factors", "## What went well", "## Where we got lucky", "## 5 whys",
            "## Remediation ideas", "## Actions", "## Takeaways",
        ];
        var positions = headings.Select(h => markdown.IndexOf("\n" + h + "\n", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(positions.All(p => p >= 0), markdown);
        CollectionAssert.AreEqual(positions.Order().ToList(), positions, markdown);
    }

    [TestMethod]
    public void FactorsSitBelowTheirCategoryWithTheirStateReasonAndEntries()
    {
        string markdown = MarkdownExport.Write(Document("Summary", "Line", ["Megan Bowen"]));
        string factors = markdown[markdown.IndexOf("## Contributing factors", StringComparison.Ordinal)..markdown.IndexOf("## What went well", StringComparison.Ordinal)];

        Assert.Contains("### Capacity\n", factors);
        Assert.Contains("State: addressed; addressed by: Line", factors);
        Assert.Contains("### Change and deployment\n", factors);
        Assert.Contains("State: accepted risk; accepted because: Summary", factors);
        Assert.Contains("Shows up in: 2026-11-20 13:00 (Europe/Paris) — Line", factors);
        Assert.Contains("- Summary (Megan Bowen)", markdown[markdown.IndexOf("## What went well", StringComparison.Ordinal)..]);
        Assert.Contains("- Summary (Megan Bowen)", markdown[markdown.IndexOf("## Where we got lucky", StringComparison.Ordinal)..]);
    }

    private static string SameLines(string text) => string.Join('\n', text.Split('\n').Select(_ => "plain"));

    /// <summary>The kinds of node in document order, leaving out runs of literal text (escapes split them differently).</summary>
    private static List<string> Shape(string markdown, MarkdownPipeline pipeline) =>
        [.. Markdown.Parse(markdown, pipeline).Descendants()
            .Where(n => n is not LiteralInline)
            .Select(n => n is HeadingBlock h ? "h" + h.Level : n.GetType().Name)];

    private static PostmortemDocument Document(string block, string line, IReadOnlyList<string> names)
    {
        var people = names.Select((n, i) => new Person($"00000000-0000-0000-0000-00000000010{i}", n)).ToList();
        var now = new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.Zero);
        var postmortem = TestData.Postmortem(now) with
        {
            Title = line,
            Summary = block,
            CustomerImpact = block,
            ReportedBy = line,
            Facilitator = people[0],
            CreatedBy = people[0],
        };
        var timeline = new TimelineEntry
        {
            Id = "t1", PostmortemId = postmortem.Id, Author = people[^1], CreatedAt = now, OccurredAt = now, TimeZone = "Europe/Paris",
            Actor = line, Description = block, Outcome = block, Expectations = block, Assumptions = block, SignalsAvailable = block,
            Kind = TimelineEntryKind.Action,
        };
        var ideas = Enum.GetValues<RemediationCategory>()
            .Select((c, i) => new RemediationIdea { Id = "i" + i, PostmortemId = postmortem.Id, Author = people[i % people.Count], CreatedAt = now, Category = c, Text = block })
            .ToList();
        var action = new ActionItem
        {
            Id = "a1", PostmortemId = postmortem.Id, Author = people[0], CreatedAt = now, Title = line, Owner = people[^1],
            Category = RemediationCategory.Prevent, DueDate = new DateOnly(2026, 12, 4), FactorIds = ["f2"],
        };
        var whys = new FiveWhys { Id = "w1", PostmortemId = postmortem.Id, Author = people[0], CreatedAt = now, Problem = line, Whys = [block, line] };
        var factor = new ContributingFactor
        {
            Id = "f1", PostmortemId = postmortem.Id, Author = people[0], CreatedAt = now, Text = block, Category = FactorCategory.ChangeAndDeployment,
            EntryIds = ["t1"], Decision = FactorDecision.AcceptedRisk, RiskReason = block,
        };
        var addressed = new ContributingFactor { Id = "f2", PostmortemId = postmortem.Id, Author = people[^1], CreatedAt = now, Text = line, Category = FactorCategory.Capacity };
        var takeaway = new Takeaway { Id = "k1", PostmortemId = postmortem.Id, Author = people[^1], CreatedAt = now, Text = block };
        return new PostmortemDocument(postmortem, [timeline], ideas, [action], [whys], [factor, addressed], [takeaway])
        {
            WentWell = [new WentWell { Id = "g1", PostmortemId = postmortem.Id, Author = people[0], CreatedAt = now, Text = block }],
            Lucky = [new LuckyBreak { Id = "l1", PostmortemId = postmortem.Id, Author = people[^1], CreatedAt = now, Text = block }],
        };
    }
}
