using System.Net;
using System.Text;
using Postmortems.Bot.Tests.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Hosting;

/// <summary>
/// The To Do sync's Graph notification endpoints as the real app serves them to a caller from the internet (Graph):
/// the validation handshake, and notifications that are not ours answered 202 without effect.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class GraphNotificationsEndpointTests
{
    [TestMethod]
    [DataRow("/api/graph/notifications")]
    [DataRow("/api/graph/lifecycle")]
    public async Task ValidationHandshakeEchoesTheDecodedTokenAsPlainText(string path)
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = BotApp.Create(azurite.ConnectionString, IPAddress.Parse("52.109.0.7"));
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri(path + "?validationToken=Validation%3A%20Testing%20client%20application", UriKind.Relative), new StringContent(string.Empty));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("Validation: Testing client application", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task NotificationForASubscriptionWeDoNotKnowIsAcceptedAndIgnored()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = BotApp.Create(azurite.ConnectionString, IPAddress.Parse("52.109.0.7"));
        using var client = app.CreateClient();
        string body = """{"value":[{"subscriptionId":"not-ours","clientState":"guess","changeType":"updated","resource":"users/x/todo/lists/y/tasks/z","tenantId":"00000000-0000-0000-0000-000000000000"}]}""";

        var response = await client.PostAsync(new Uri("/api/graph/notifications", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
    }

    [TestMethod]
    public async Task MalformedNotificationIsRefusedWith400()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = BotApp.Create(azurite.ConnectionString, IPAddress.Parse("52.109.0.7"));
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/graph/notifications", UriKind.Relative), new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
