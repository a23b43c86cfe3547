using Postmortems.Testing;

[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]

namespace Postmortems.Tabs.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static Task StopAzurite() => SharedAzurite.StopAsync();
}
