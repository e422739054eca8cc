using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws;

/// <summary>
/// <see cref="IShadowReader"/> over the AWS IoT control plane's <c>GetThingConnectivityData</c>
/// (<c>POST /things/{thingName}/connectivity-data</c>): the broker's own view, with no shadow and no rule
/// to keep one up to date, so a lost lifecycle event cannot corrupt what a re-check reads. With
/// <see cref="AwsIotConnectivityReaderOptions.ConfirmInPagesFrom"/> set, many due re-checks are confirmed through the
/// fleet index in pages of up to 100 instead.
/// </summary>
internal sealed class IotConnectivityReader : IBatchShadowReader
{
    public const string Operation = "GetThingConnectivityData";
    public const string HttpClientName = "GracefulDisconnect.Aws.IotConnectivity";
    public const string EndpointKey = "GracefulDisconnect.Aws.IotConnectivity";

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly IHttpClientFactory _clients;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly IIotFleetIndex? _fleetIndex;

    public IotConnectivityReader(
        IHttpClientFactory clients,
        [FromKeyedServices(EndpointKey)] AwsServiceEndpoint endpoint,
        Microsoft.Extensions.Options.IOptions<AwsIotConnectivityReaderOptions> options,
        ILogger<IotConnectivityReader> logger,
        IIotFleetIndex? fleetIndex = null)
    {
        _clients = clients;
        _endpoint = endpoint;
        _logger = logger;
        if (options.Value.ConfirmInPagesFrom is { } from)
        {
            _fleetIndex = fleetIndex ?? throw new InvalidOperationException(
                $"{AwsIotConnectivityReaderOptions.SectionName}:ConfirmInPagesFrom ({from}) confirms due re-checks through the fleet index, but none is registered: add .AddAwsIotFleetIndex(...), or leave ConfirmInPagesFrom unset.");
            MinimumBatch = from;
        }
    }

    /// <summary>Batches only when <see cref="AwsIotConnectivityReaderOptions.ConfirmInPagesFrom"/> is set.</summary>
    public int MinimumBatch { get; } = int.MaxValue;

    public async ValueTask<IReadOnlyDictionary<string, ConnectionSnapshot?>> ReadManyAsync(IReadOnlyList<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        if (_fleetIndex is null)
        {
            throw new InvalidOperationException("Batch reads need ConfirmInPagesFrom and a fleet index.");
        }

        // A thing the index does not have reads as unknown, like a 404 of GetThingConnectivityData.
        var found = await _fleetIndex.ReadConnectivityAsync(thingNames, cancellationToken).ConfigureAwait(false);
        var snapshots = new Dictionary<string, ConnectionSnapshot?>(thingNames.Count, StringComparer.Ordinal);
        foreach (var name in thingNames)
        {
            snapshots[name] = found.TryGetValue(name, out var snapshot) ? snapshot : null;
        }

        AwsLog.ConnectivityReadInPages(_logger, thingNames.Count, found.Count);
        return snapshots;
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
