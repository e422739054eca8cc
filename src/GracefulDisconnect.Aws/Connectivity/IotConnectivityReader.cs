using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws;

/// <summary>
/// <see cref="IShadowReader"/> over the AWS IoT control plane's <c>GetThingConnectivityData</c>
/// (<c>POST /things/{thingName}/connectivity-data</c>): the broker's own view, with no shadow and no rule
/// to keep one up to date, so a lost lifecycle event cannot corrupt what a re-check reads.
/// </summary>
internal sealed class IotConnectivityReader : IShadowReader
{
    public const string Operation = "GetThingConnectivityData";
    public const string HttpClientName = "GracefulDisconnect.Aws.IotConnectivity";
    public const string EndpointKey = "GracefulDisconnect.Aws.IotConnectivity";

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly IHttpClientFactory _clients;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly ILogger _logger;

    public IotConnectivityReader(IHttpClientFactory clients, [FromKeyedServices(EndpointKey)] AwsServiceEndpoint endpoint, ILogger<IotConnectivityReader> logger)
    {
        _clients = clients;
        _endpoint = endpoint;
        _logger = logger;
    }

    public async ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        AwsIotNames.ThrowIfInvalidThingName(thingName);
        using var request = new HttpRequestMessage(HttpMethod.Post, ConnectivityUri(_endpoint.Uri, thingName)) { Content = IotControlPlane.JsonBody(EmptyObject) };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var errorCode = AwsErrorType.Get(response);
            AwsLog.ConnectivityNotFound(_logger, thingName, errorCode);
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw AwsRestJson.Failure(Operation, $"thing '{thingName}'", response, body);
        }

        var (snapshot, reason) = ConnectivityData.Read(body, thingName);
        if (snapshot is { } state)
        {
            AwsLog.ConnectivityRead(_logger, thingName, state.Connected, state.ChangedAt, reason);
        }
        else
        {
            AwsLog.ConnectivityNeverSeen(_logger, thingName);
        }

        return snapshot;
    }

    /// <summary>The request URI, the thing name percent-encoded once (the signer encodes the path again, as SigV4 requires).</summary>
    internal static Uri ConnectivityUri(Uri endpoint, string thingName)
        => new($"{endpoint.AbsoluteUri.TrimEnd('/')}/things/{Uri.EscapeDataString(thingName)}/connectivity-data");
}
