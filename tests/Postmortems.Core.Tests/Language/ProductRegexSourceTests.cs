using System.Text;
using System.Text.RegularExpressions;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Language;

/// <summary>
/// Every regular expression in the product's source (core, bot, tabs, graph-sync) is built with
/// <see cref="RegexOptions.NonBacktracking"/> and without a match timeout: patterns run over text people type, so they
/// must be linear in it, and a wall-clock timeout turns a busy machine into an error (HTTP 500 on a save). A scan of
/// the source, so a Regex built inside a method or a static Regex.IsMatch call is found too; the reflection test in
/// Postmortems.Bot.Tests checks the built regexes themselves.
/// </summary>
[TestClass]
public sealed class ProductRegexSourceTests
{
    private static readonly string[] ProductFolders = ["core", "bot", "tabs", "graph-sync"];

    [TestMethod]
    public void NoProductRegexCanBacktrackOrTimeOut()
    {
        int sites = 0;
        var problems = new List<string>();
        foreach (string folder in ProductFolders)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/node_modules/", StringComparison.Ordinal))
                {
                    continue;
                }

                string extension = Path.GetExtension(file);
                if (extension is ".cs" or ".csproj" or ".json" or ".props" or ".targets")
                {
                    var scan = RegexSourceScan.Scan(relative, File.ReadAllText(file));
                    sites += scan.Sites;
                    problems.AddRange(scan.Problems);
                }
            }
        }

        foreach (string file in Directory.EnumerateFiles(RepositoryRoot.Path, "Directory.*.props"))
        {
            problems.AddRange(RegexSourceScan.Scan(Path.GetFileName(file), File.ReadAllText(file)).Problems);
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
        // The product has 11 patterns (blameless language, non-actions, command text): a scan that finds none is
        // looking in the wrong place.
        Assert.IsGreaterThanOrEqualTo(11, sites, "The scan found fewer regexes than the product has.");
    }

    [TestMethod]
    public void TheScanFindsBacktrackingPatternsTimeoutsAndAGlobalDefaultTimeout()
    {
        const string Bad = """
            using System.Text.RegularExpressions;
            partial class Bad
            {
                private const RegexOptions Plain = RegexOptions.IgnoreCase;
                [GeneratedRegex(@"(a+)+b", RegexOptions.IgnoreCase, 200)]
                private static partial Regex Timed();
                [GeneratedRegex("x", Plain)]
                private static partial Regex ViaConstant();
                [GeneratedRegex("x", RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 200)]
                private static partial Regex NamedTimeout();
                private static readonly Regex Field = new("a+b");
                private static readonly Regex Built = new Regex("a", RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
                static bool Static(string text) => Regex.IsMatch(text, "(x+x+)+y");
                static void Setup() => AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromMilliseconds(100));
            }
            """;

        var scan = RegexSourceScan.Scan("Bad.cs", Bad);

        Assert.AreEqual(6, scan.Sites);
        Assert.HasCount(8, scan.Problems, string.Join(Environment.NewLine, scan.Problems));
        Assert.AreEqual(2, scan.Problems.Count(p => p.Contains("Bad.cs:5:", StringComparison.Ordinal)), "No NonBacktracking, and a timeout.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:7:", StringComparison.Ordinal)), "The constant has no NonBacktracking.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:9:", StringComparison.Ordinal)), "A named timeout.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:11:", StringComparison.Ordinal)), "Target-typed new without NonBacktracking.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:12:", StringComparison.Ordinal)), "A TimeSpan timeout.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:13:", StringComparison.Ordinal)), "A static call without NonBacktracking.");
        Assert.AreEqual(1, scan.Problems.Count(p => p.Contains("Bad.cs:14:", StringComparison.Ordinal)), "A process-wide default timeout.");
    }

    [TestMethod]
    public void TheScanAcceptsLinearPatternsAndIgnoresCommentsAndStrings()
    {
        const string Good = """
            using System.Text.RegularExpressions;
            partial class Good
            {
                // new Regex("(a+)+b") in a comment is not code; nor is [GeneratedRegex("x", RegexOptions.None, 5)]
                private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.NonBacktracking;
                [GeneratedRegex(@"\b(a|b)\s*(c|""d"")\b", Options)]
                private static partial Regex ViaConstant();
                [GeneratedRegex("<at>(.*?)</at>)]", RegexOptions.Singleline | RegexOptions.NonBacktracking, "en-US")]
                private static partial Regex WithCulture();
                private static readonly Regex Field = new(@"\s+", RegexOptions.NonBacktracking);
                private const string Text = "new Regex(\"a+\") and Regex.IsMatch(x, \"y\")";
                private const char Quote = '"';
                static string Escaped(string text) => Regex.Escape(text) + Quote;
            }
            """;

        var scan = RegexSourceScan.Scan("Good.cs", Good);

        Assert.AreEqual(3, scan.Sites);
        Assert.IsEmpty(scan.Problems, string.Join(Environment.NewLine, scan.Problems));
    }
}

/// <summary>Finds where C# source builds a Regex, and what is wrong with each: no NonBacktracking, or a match timeout.</summary>
internal static partial class RegexSourceScan
{
    public static (int Sites, IReadOnlyList<string> Problems) Scan(string name, string source)
    {
        var problems = new List<string>();
        // A process-wide default timeout (AppContext switch or runtimeconfig) would put a timeout on every regex.
        int global = source.IndexOf("REGEX_DEFAULT_MATCH_TIMEOUT", StringComparison.Ordinal);
        if (global >= 0)
        {
            problems.Add($"{name}:{Line(source, global)}: sets a default match timeout for every regex (REGEX_DEFAULT_MATCH_TIMEOUT).");
        }

        if (!name.EndsWith(".cs", StringComparison.Ordinal))
        {
            return (0, problems);
        }

        string code = BlankCommentsAndLiterals(source);
        int sites = 0;
        foreach (var (pattern, kind) in new (Regex, string)[] { (Attribute(), "attribute"), (Constructor(), "constructor"), (TargetTypedNew(), "constructor"), (StaticCall(), "static") })
        {
            foreach (Match match in pattern.Matches(code))
            {
                sites++;
                int open = match.Index + match.Length - 1;
                var arguments = Arguments(code, open);
                string where = $"{name}:{Line(source, match.Index)}";
                var (options, timeout) = kind switch
                {
                    "attribute" => (Named(arguments, "options") ?? Positional(arguments, 1),
                        Named(arguments, "matchTimeoutMilliseconds") ?? (Positional(arguments, 2) is { } third && !third.StartsWith('"') ? third : null)),
                    "constructor" => (Named(arguments, "options") ?? Positional(arguments, 1), Named(arguments, "matchTimeout") ?? Positional(arguments, 2)),
                    _ => (string.Join(",", arguments.Where(a => !a.StartsWith('"'))), arguments.FirstOrDefault(a => a.Contains("TimeSpan", StringComparison.Ordinal) || a.Contains("matchTimeout", StringComparison.Ordinal))),
                };

                if (options is null || !IsNonBacktracking(code, options, depth: 0))
                {
                    problems.Add($"{where}: a regex without RegexOptions.NonBacktracking can backtrack for a time out of proportion to the text.");
                }

                if (timeout is not null && !timeout.Contains("Infinite", StringComparison.Ordinal))
                {
                    problems.Add($"{where}: a regex with a match timeout ({timeout.Trim()}) fails on a busy machine; NonBacktracking needs none.");
                }
            }
        }

        return (sites, problems);
    }

    private static bool IsNonBacktracking(string code, string options, int depth)
    {
        if (options.Contains("NonBacktracking", StringComparison.Ordinal))
        {
            return true;
        }

        if (depth > 3)
        {
            return false;
        }

        // A constant of the same file: "private const RegexOptions Options = … | RegexOptions.NonBacktracking;".
        foreach (Match identifier in Identifier().Matches(options))
        {
            var constant = new Regex(@"\bconst\s+(?:System\.Text\.RegularExpressions\.)?RegexOptions\s+" + identifier.Value + @"\s*=\s*([^;]+);", RegexOptions.NonBacktracking).Match(code);
            if (constant.Success && IsNonBacktracking(code, constant.Groups[1].Value, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Named(List<string> arguments, string name) =>
        arguments.Select(a => a.Trim()).FirstOrDefault(a => a.StartsWith(name + ":", StringComparison.Ordinal)) is { } named ? named[(name.Length + 1)..].Trim() : null;

    private static string? Positional(List<string> arguments, int index)
    {
        var positional = arguments.Select(a => a.Trim()).Where(a => !NamedArgument().IsMatch(a)).ToList();
        return index < positional.Count ? positional[index] : null;
    }

    /// <summary>The top-level arguments of the call whose "(" is at <paramref name="open"/> (literals already blanked).</summary>
    private static List<string> Arguments(string code, int open)
    {
        var arguments = new List<string>();
        int depth = 0, start = open + 1;
        for (int i = open; i < code.Length; i++)
        {
            char c = code[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0)
                {
                    arguments.Add(code[start..i].Trim());
                    break;
                }
            }
            else if (c == ',' && depth == 1)
            {
                arguments.Add(code[start..i].Trim());
                start = i + 1;
            }
        }

        return [.. arguments.Where(a => a.Length > 0)];
    }

    /// <summary>
    /// The source with comments replaced by spaces and the insides of string and char literals by spaces (quotes kept,
    /// so a string argument still starts with '"'), line breaks kept, so positions and line numbers stay the same.
    /// </summary>
    internal static string BlankCommentsAndLiterals(string source)
    {
        var code = new StringBuilder(source);
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                int end = source.IndexOf('\n', i);
                i = Blank(code, i, end < 0 ? source.Length : end);
            }
            else if (c == '/' && next == '*')
            {
                int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = Blank(code, i, end < 0 ? source.Length : end + 2);
            }
            else if (c == '"')
            {
                bool verbatim = i > 0 && (source[i - 1] == '@' || (source[i - 1] == '$' && i > 1 && source[i - 2] == '@'));
                int quotes = 0;
                while (i + quotes < source.Length && source[i + quotes] == '"')
                {
                    quotes++;
                }

                if (!verbatim && quotes >= 3)
                {
                    string delimiter = new('"', quotes);
                    int end = source.IndexOf(delimiter, i + quotes, StringComparison.Ordinal);
                    end = end < 0 ? source.Length : end;
                    Blank(code, i + quotes, end);
                    i = Math.Min(source.Length, end + quotes);
                    continue;
                }

                int j = i + 1;
                while (j < source.Length)
                {
                    if (source[j] == '"')
                    {
                        if (verbatim && j + 1 < source.Length && source[j + 1] == '"')
                        {
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    j += !verbatim && source[j] == '\\' ? 2 : 1;
                }

                Blank(code, i + 1, Math.Min(j, source.Length));
                i = j + 1;
            }
            else if (c == '\'')
            {
                int j = i + 1;
                if (j < source.Length && source[j] == '\\')
                {
                    j += 2;
                }
                else
                {
                    j++;
                }

                while (j < source.Length && source[j] != '\'' && j - i < 12)
                {
                    j++;
                }

                Blank(code, i + 1, Math.Min(j, source.Length));
                i = j + 1;
            }
            else
            {
                i++;
            }
        }

        return code.ToString();
    }

    private static int Blank(StringBuilder code, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            if (code[k] is not ('\n' or '\r'))
            {
                code[k] = ' ';
            }
        }

        return to;
    }

    private static int Line(string source, int index) => source.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"\[\s*(?:System\.Text\.RegularExpressions\.)?GeneratedRegex(?:Attribute)?\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Attribute();

    [GeneratedRegex(@"\bnew\s+(?:System\.Text\.RegularExpressions\.)?Regex\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Constructor();

    [GeneratedRegex(@"\bRegex\??\s+\w+\s*(?:\{\s*get;\s*\}\s*)?=\s*new\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex TargetTypedNew();

    [GeneratedRegex(@"\bRegex\s*\.\s*(?:IsMatch|Match|Matches|Replace|Split|Count|EnumerateMatches|EnumerateSplits)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex StaticCall();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b", RegexOptions.NonBacktracking)]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\w+\s*:", RegexOptions.NonBacktracking)]
    private static partial Regex NamedArgument();
}
