using Postmortems.Testing;

[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]

namespace Postmortems.Security.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static Task StopAzurite() => SharedAzurite.StopAsync();
}
