using System.Security.Claims;
using System.Text.Json;
using Postmortems.Tabs.Api;
using Postmortems.Tabs.Auth;

namespace Postmortems.Tabs.Tests;

/// <summary>Names that reach the tab API (the token's name claim, the owner the tab's picker sends) follow the one rule for names.</summary>
[TestClass]
public sealed class TabNamesTests
{
    [TestMethod]
    public void TheTokensNameClaimIsNormalisedToOneLine()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(TabCaller.TenantClaim, "tenant"),
            new Claim(TabCaller.UserClaim, "00000000-0000-0000-0000-000000000020"),
            new Claim(TabCaller.NameClaim, "Alex\r\nWilber\t\u202E[x](y)"),
        ]));

        Assert.AreEqual("Alex Wilber [x](y)", TabCaller.From(user).Name);
    }

    [TestMethod]
    public void AnOwnerNameFromTheTabIsNormalisedToOneLine()
    {
        using var body = JsonDocument.Parse("""{"owner":{"id":"00000000-0000-0000-0000-000000000021","name":"Megan\nATTENDEE:mailto:x@evil.example\u2028"}}""");

        var (change, errors) = ActionChange.Parse(body.RootElement);

        Assert.IsEmpty(errors);
        Assert.AreEqual("Megan ATTENDEE:mailto:x@evil.example", change!.Owner!.DisplayName);
    }
}
