using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// <see cref="IShadowReader"/> over the IoT Data Plane <c>GetThingShadow</c> API
/// (<c>GET /things/{thingName}/shadow[?name={shadowName}]</c>), signed by the named HttpClient's pipeline.
/// </summary>
internal sealed class IotShadowReader : IShadowReader
{
    public const string HttpClientName = "GracefulDisconnect.Aws.IotData";
    public const string EndpointKey = "GracefulDisconnect.Aws.IotData";
    public const string SigningName = "iotdata";
    public const string EndpointVariable = "AWS_ENDPOINT_URL_IOT_DATA_PLANE";

    private readonly IHttpClientFactory _clients;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly string? _shadowName;
    private readonly ShadowDocument _document;
    private readonly ILogger _logger;

    public IotShadowReader(
        IHttpClientFactory clients,
        IOptions<AwsIotShadowReaderOptions> options,
        [FromKeyedServices(EndpointKey)] AwsServiceEndpoint endpoint,
        ILogger<IotShadowReader> logger)
    {
        _clients = clients;
        _endpoint = endpoint;
        _shadowName = string.IsNullOrEmpty(options.Value.ShadowName) ? null : options.Value.ShadowName;
        _document = new ShadowDocument(options.Value);
        _logger = logger;
    }

    /// <summary>The regional default; real accounts use their own <c>&lt;prefix&gt;-ats</c> host, which is configuration.</summary>
    public static Uri DefaultEndpoint(string region, string dnsSuffix) => new($"https://data-ats.iot.{region}.{dnsSuffix}");

    public async ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        AwsIotNames.ThrowIfInvalidThingName(thingName);
        using var request = new HttpRequestMessage(HttpMethod.Get, ShadowUri(_endpoint.Uri, thingName, _shadowName));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var errorCode = AwsErrorType.Get(response);
            AwsLog.ShadowNotFound(_logger, thingName, errorCode);
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw AwsRestJson.Failure("GetThingShadow", Describe(thingName, _shadowName), response, body);
        }

        var snapshot = _document.Read(body, thingName);
        AwsLog.ShadowRead(_logger, thingName, snapshot.Connected, snapshot.ChangedAt);
        return snapshot;
    }

    /// <summary>
    /// The request URI. Names are percent-encoded once here (<c>:</c> becomes <c>%3A</c>); the signer encodes
    /// the path once more for the canonical request, as SigV4 requires of every service but S3.
    /// </summary>
    internal static Uri ShadowUri(Uri endpoint, string thingName, string? shadowName)
    {
        var path = $"{endpoint.AbsoluteUri.TrimEnd('/')}/things/{Uri.EscapeDataString(thingName)}/shadow";
        return new Uri(shadowName is null ? path : $"{path}?name={Uri.EscapeDataString(shadowName)}");
    }

    private static string Describe(string thingName, string? shadowName)
        => shadowName is null ? $"thing '{thingName}'" : $"thing '{thingName}' (shadow '{shadowName}')";
}
