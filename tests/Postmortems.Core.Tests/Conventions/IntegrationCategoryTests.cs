using System.Text.RegularExpressions;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Conventions;

/// <summary>
/// `./test.sh --fast` runs only the tests that start nothing (filter TestCategory!=Integration). A test class that
/// starts a server or a process without [TestCategory("Integration")] would slow that loop down, or fail where
/// Azurite or Chromium is missing, so this scan of tests/ finds them: a class counts as starting one when its source
/// names a server-starting helper, directly or through a helper class that does (ChatHarness starts Azurite, so a
/// test using ChatHarness starts Azurite too).
/// </summary>
[TestClass]
public sealed class IntegrationCategoryTests
{
    private const string Marker = "[TestCategory(\"Integration\")]";

    // The types that start a server or a process, by the names test code uses for them.
    private static readonly string[] Starters =
    [
        "AzuriteServer", "SharedAzurite", "TestStorage", "AppServer", "ChildProcess", "PlaygroundServer", "FakeGraphServer",
        "RecordingHttpServer", "LocalBotIssuer", "LocalEntraIssuer", "LoopbackHost", "AdaptiveCardChecker", "WebApplicationFactory",
        "WebApplication", "TestServer", "Playwright", "Chromium", "ProcessStartInfo", "TcpListener", "HttpListener",
    ];

    private static readonly string[] StartCalls = ["Process.Start(", "new Process"];

    private static readonly Regex TestClassAttribute = new("(?m)^[ \t]*\\[TestClass", RegexOptions.NonBacktracking);
    private static readonly Regex Identifier = new("[A-Za-z_][A-Za-z0-9_]*", RegexOptions.NonBacktracking);
    private static readonly Regex ClassDeclaration = new(
        "(?m)^[ \t]*((public|internal|private|protected|static|sealed|abstract|partial|file)[ \t]+)*class[ \t]+([A-Za-z_][A-Za-z0-9_]*)",
        RegexOptions.NonBacktracking);

    // Comments and string literals, so a word in a sentence or a message does not count as a use.
    private static readonly Regex CommentOrString = new(
        "//[^\n]*|/\\*([^*]|\\*+[^*/])*\\*+/|\"([^\"\\\\\n]|\\\\.)*\"", RegexOptions.NonBacktracking);

    [TestMethod]
    public void EveryTestClassThatStartsAServerOrProcessIsMarkedIntegration()
    {
        var sources = ReadTestSources();
        var starters = FindStarters(sources);
        var unmarked = new List<string>();
        int marked = 0;
        foreach (var (path, text) in sources)
        {
            foreach (var (name, header, body) in TestClasses(text))
            {
                var uses = Uses(body, starters);
                if (uses.Count == 0)
                {
                    continue;
                }

                if (header.Contains(Marker, StringComparison.Ordinal))
                {
                    marked++;
                }
                else
                {
                    unmarked.Add($"{path}: {name} uses {string.Join(", ", uses)}");
                }
            }
        }

        Assert.IsEmpty(unmarked,
            $"These test classes start a server or a process; add {Marker} under [TestClass] so ./test.sh --fast skips them:\n"
            + string.Join('\n', unmarked));
        Assert.IsGreaterThan(20, marked, "The scan found too few integration test classes: is it still reading tests/?");
    }

    [TestMethod]
    public void HelpersThatWrapAServerCountAsStartingOne()
    {
        var starters = FindStarters(ReadTestSources());

        // Each wraps a server-starting helper in its own test project: Azurite, a recording HTTP server, a node process.
        foreach (string helper in new[] { "ChatHarness", "ConnectorHarness", "BotApp", "TabApp", "CardAssert" })
        {
            Assert.Contains(helper, starters);
        }

        // Declared beside ChatHarness, but it only builds card JSON.
        Assert.DoesNotContain("Cards", starters);
    }

    /// <summary>The starters, grown to a fixed point with every helper class (outside a test class's file) that uses one.</summary>
    private static HashSet<string> FindStarters(IReadOnlyList<(string Path, string Text)> sources)
    {
        var starters = new HashSet<string>(Starters, StringComparer.Ordinal);
        var helpers = sources
            .Where(s => !TestClassAttribute.IsMatch(s.Text))
            .SelectMany(s => HelperClasses(s.Text))
            .ToList();
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (name, body) in helpers)
            {
                if (!starters.Contains(name) && Uses(body, starters).Any(u => u != name))
                {
                    starters.Add(name);
                    grew = true;
                }
            }
        }

        return starters;
    }

    /// <summary>Each class declared in a helper file, with its text up to the next class declaration.</summary>
    private static IEnumerable<(string Name, string Body)> HelperClasses(string text)
    {
        var declarations = ClassDeclaration.Matches(text);
        for (int i = 0; i < declarations.Count; i++)
        {
            int end = i + 1 < declarations.Count ? declarations[i + 1].Index : text.Length;
            yield return (declarations[i].Groups[3].Value, text[declarations[i].Index..end]);
        }
    }

    /// <summary>
    /// Each [TestClass] with test methods: its attributes (up to its class keyword), and its text up to the next
    /// [TestClass] together with the file's usings (a `using static ChatHarness;` counts).
    /// </summary>
    private static IEnumerable<(string Name, string Header, string Body)> TestClasses(string text)
    {
        var parts = TestClassAttribute.Split(text);
        for (int i = 1; i < parts.Length; i++)
        {
            string part = parts[i];
            if (!part.Contains("[TestMethod", StringComparison.Ordinal) && !part.Contains("[DataTestMethod", StringComparison.Ordinal))
            {
                continue;
            }

            var declaration = ClassDeclaration.Match(part);
            string header = declaration.Success ? part[..declaration.Index] : part;
            string name = declaration.Success ? declaration.Groups[3].Value : "(unnamed)";
            yield return (name, header, parts[0] + part);
        }
    }

    private static List<string> Uses(string code, HashSet<string> starters)
    {
        string bare = CommentOrString.Replace(code, " ");
        var uses = Identifier.Matches(bare).Select(m => m.Value).Where(starters.Contains).Distinct(StringComparer.Ordinal).ToList();
        uses.AddRange(StartCalls.Where(call => bare.Contains(call, StringComparison.Ordinal)));
        return uses;
    }

    /// <summary>The C# files of the test projects and their shared helpers (not the load generator, which is no test).</summary>
    private static List<(string Path, string Text)> ReadTestSources()
    {
        var sources = new List<(string, string)>();
        foreach (string project in Directory.EnumerateDirectories(Path.Combine(RepositoryRoot.Path, "tests")))
        {
            string name = Path.GetFileName(project);
            if (!name.EndsWith(".Tests", StringComparison.Ordinal) && name != "Postmortems.Testing")
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
                if (!relative.Contains("/bin/", StringComparison.Ordinal) && !relative.Contains("/obj/", StringComparison.Ordinal))
                {
                    sources.Add((relative, File.ReadAllText(file)));
                }
            }
        }

        Assert.IsNotEmpty(sources, "No test sources found under tests/.");
        return sources;
    }
}
