using System.Reflection;
using System.Text.RegularExpressions;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>
/// Every regex the product builds (in every product assembly) runs with <see cref="RegexOptions.NonBacktracking"/> and
/// no match timeout: linear in the text people type, and never an error on a busy machine. The source scan in
/// Postmortems.Core.Tests finds regexes built inside methods; this looks at the built ones themselves.
/// </summary>
[TestClass]
public sealed class ProductRegexTests
{
    private static readonly string[] ProductAssemblies = ["Postmortems.Core", "Postmortems.Bot", "Postmortems.Tabs", "Postmortems.GraphSync"];

    [TestMethod]
    public void EveryGeneratedOrStoredRegexInTheProductIsNonBacktrackingWithoutATimeout()
    {
        var found = new List<string>();
        var problems = new List<string>();
        const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in ProductAssemblies.SelectMany(name => Assembly.Load(new AssemblyName(name)).GetTypes()))
        {
            var regexes = type.GetMethods(Static)
                .Where(m => m.ReturnType == typeof(Regex) && m.GetParameters().Length == 0 && m.IsDefined(typeof(GeneratedRegexAttribute)))
                .Select(m => (Name: $"{type.FullName}.{m.Name}()", Regex: (Regex?)m.Invoke(null, null)))
                .Concat(type.GetFields(Static).Where(f => f.FieldType == typeof(Regex)).Select(f => (Name: $"{type.FullName}.{f.Name}", Regex: (Regex?)f.GetValue(null))))
                .Concat(type.GetProperties(Static).Where(p => p.PropertyType == typeof(Regex) && p.GetMethod is not null && p.GetIndexParameters().Length == 0)
                    .Select(p => (Name: $"{type.FullName}.{p.Name}", Regex: (Regex?)p.GetValue(null))));
            foreach (var (name, regex) in regexes)
            {
                if (regex is null)
                {
                    continue;
                }

                found.Add(name);
                if (!regex.Options.HasFlag(RegexOptions.NonBacktracking))
                {
                    problems.Add($"{name} can backtrack: build it with RegexOptions.NonBacktracking.");
                }

                if (regex.MatchTimeout != Regex.InfiniteMatchTimeout)
                {
                    problems.Add($"{name} has a {regex.MatchTimeout.TotalMilliseconds} ms match timeout, which fails on a busy machine.");
                }
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
        // The ones this behaviour is about: if these are not found, the test is not looking at the product.
        foreach (string expected in new[] { "NonActionCheck.WishPattern()", "NonActionCheck.ConcreteChangePattern()", "BlamelessLanguage.FailedTo()", "CommandRouter.AtTag()", "CommandRouter.Whitespace()" })
        {
            Assert.IsTrue(found.Any(f => f.EndsWith(expected, StringComparison.Ordinal)), $"{expected} was not found among {string.Join(", ", found)}");
        }
    }
}
