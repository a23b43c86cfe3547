using System.Reflection;
using System.Xml.Linq;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>
/// The architecture table in the README, checked: dependencies point toward core, core needs no web framework, and
/// the tab does not reach into Graph work (an action change reaches Graph through the action followers).
/// </summary>
[TestClass]
public sealed class ProjectDependencyTests
{
    private static readonly Dictionary<string, string[]> MayDependOn = new()
    {
        ["Postmortems.Core"] = [],
        ["Postmortems.GraphSync"] = ["Postmortems.Core"],
        ["Postmortems.Tabs"] = ["Postmortems.Core"],
        ["Postmortems.Bot"] = ["Postmortems.Core", "Postmortems.GraphSync", "Postmortems.Tabs"],
    };

    [TestMethod]
    public void EachProductProjectReferencesOnlyTheProjectsTheArchitectureAllows()
    {
        foreach (var (project, allowed) in MayDependOn)
        {
            var references = Assembly.Load(project).GetReferencedAssemblies()
                .Select(a => a.Name!)
                .Where(n => n.StartsWith("Postmortems.", StringComparison.Ordinal))
                .ToList();
            CollectionAssert.IsSubsetOf(references, allowed, $"{project} references {string.Join(", ", references)}");
        }
    }

    [TestMethod]
    public void CoreNeedsNoAspNetCoreFramework()
    {
        var core = Assembly.Load("Postmortems.Core");
        var web = core.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(web, "core uses " + string.Join(", ", web));

        var csproj = XDocument.Load(Path.Combine(RepositoryRoot.Path, "core", "Postmortems.Core", "Postmortems.Core.csproj"));
        Assert.IsFalse(csproj.Descendants("FrameworkReference").Any(), "core's project file references no shared framework");
    }
}
