using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Connector;

[TestClass]
[TestCategory("Integration")]
public sealed class ConnectorTokenFailureTests
{
    [TestMethod]
    public async Task AWrongSecretIsASendFailureWithAClearMessageAndNothingIsSent()
    {
        await using var server = await RecordingHttpServer.StartAsync();
        var options = Options.Create(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07", AppPassword = "wrong" });
        var services = new ServiceCollection();
        services.AddSingleton(options);
        services.AddSingleton(new ConnectorTokenProvider(options, TimeProvider.System, new RefusingCredential()));
        services.AddConnectorClient();
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<TrustedServiceUrls>().Trust(server.BaseUrl.ToString());
        var conversation = new ConversationReference(server.BaseUrl.ToString(), "a:1", "tenant-1", "28:bot");

        var error = await Assert.ThrowsExactlyAsync<ConnectorException>(() =>
            provider.GetRequiredService<ConnectorClient>().SendToConversationAsync(conversation, new Activity { Type = "message", Text = "hi" }, CancellationToken.None));

        StringAssert.Contains(error.Message, "could not get its Bot Framework token");
        Assert.IsEmpty(server.Requests);
    }

    /// <summary>Entra ID refusing the client secret, as it answers a wrong one.</summary>
    private sealed class RefusingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("AADSTS7000215: Invalid client secret provided.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("AADSTS7000215: Invalid client secret provided.");
    }
}
