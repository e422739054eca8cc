using System.Net;
using GracefulDisconnect.Cli.Run.Http;
using Microsoft.Extensions.Configuration;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

public sealed class StatusEndpointTests
{
    private static IConfiguration Empty => new ConfigurationBuilder().Build();

    [Theory]
    [InlineData("8080", "127.0.0.1", 8080)]
    [InlineData(":8080", "127.0.0.1", 8080)]
    [InlineData("localhost:9000", "127.0.0.1", 9000)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    [InlineData("0.0.0.0:8080", "0.0.0.0", 8080)]
    [InlineData("*:8080", "0.0.0.0", 8080)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("192.168.1.20:65535", "192.168.1.20", 65535)]
    public void TryParse_Addresses_GiveTheEndPoint(string text, string address, int port)
    {
        Assert.True(StatusEndpoint.TryParse(text, out var endPoint, out var problem), problem);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("", "not a port")]
    [InlineData("127.0.0.1", "not a port")]
    [InlineData("127.0.0.1:0", "not a port")]
    [InlineData("127.0.0.1:70000", "not a port")]
    [InlineData("example.com:8080", "not an IP address")]
    [InlineData("::1:8080", "brackets")]
    [InlineData("[::1]", "needs a port")]
    [InlineData("127.0.0.1:80x", "not a port")]
    public void TryParse_BadAddresses_SayWhatIsWrong(string text, string expected)
    {
        Assert.False(StatusEndpoint.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NonLoopbackWithoutToken_IsRefusedNamingBothWaysOut()
    {
        var (endpoint, problems) = StatusEndpoint.Resolve("0.0.0.0:8080", null, allowAnonymous: false, Empty);

        Assert.Null(endpoint);
        var problem = Assert.Single(problems);
        Assert.Contains("--http-token", problem, StringComparison.Ordinal);
        Assert.Contains("--http-allow-anonymous", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NonLoopbackWithTokenOrAnonymousAllowed_IsAccepted()
    {
        Assert.Equal("s3cret", StatusEndpoint.Resolve("0.0.0.0:8080", "s3cret", false, Empty).Endpoint!.Token);
        Assert.Null(StatusEndpoint.Resolve("0.0.0.0:8080", null, true, Empty).Endpoint!.Token);
    }

    [Fact]
    public void Resolve_FromConfiguration_FlagsWin()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StatusEndpoint.AddressKey] = "0.0.0.0:9000",
            [StatusEndpoint.TokenKey] = "from-config",
        }).Build();

        var fromFile = StatusEndpoint.Resolve(null, null, false, configuration).Endpoint!;
        var fromFlags = StatusEndpoint.Resolve("8081", "from-flag", false, configuration).Endpoint!;

        Assert.Equal((new IPEndPoint(IPAddress.Any, 9000), "from-config"), (fromFile.EndPoint, fromFile.Token));
        Assert.Equal((new IPEndPoint(IPAddress.Loopback, 8081), "from-flag"), (fromFlags.EndPoint, fromFlags.Token));
        Assert.Null(StatusEndpoint.Resolve(null, null, false, Empty).Endpoint);
    }
}
