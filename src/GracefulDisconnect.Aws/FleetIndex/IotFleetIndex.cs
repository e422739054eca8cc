using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary><see cref="IIotFleetIndex"/> over <c>SearchIndex</c> (<c>POST /indices/search</c>), signed by the named HttpClient's pipeline.</summary>
internal sealed class IotFleetIndex : IIotFleetIndex
{
    public const string Operation = "SearchIndex";
    public const string HttpClientName = "GracefulDisconnect.Aws.IotFleetIndex";
    public const string EndpointKey = "GracefulDisconnect.Aws.IotFleetIndex";

    private readonly IHttpClientFactory _clients;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly string _indexName;
    private readonly int _pageSize;
    private readonly ILogger _logger;

    public IotFleetIndex(
        IHttpClientFactory clients,
        IOptions<AwsIotFleetIndexOptions> options,
        [FromKeyedServices(EndpointKey)] AwsServiceEndpoint endpoint,
        ILogger<IotFleetIndex> logger)
    {
        _clients = clients;
        _endpoint = endpoint;
        _indexName = options.Value.IndexName;
        _pageSize = options.Value.PageSize;
        _logger = logger;
    }

    public async ValueTask<FleetIndexPage> SearchPageAsync(string queryString, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queryString);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_endpoint.Uri.AbsoluteUri.TrimEnd('/')}/indices/search"))
        {
            Content = IotControlPlane.JsonBody(Body(queryString, nextToken)),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw AwsRestJson.Failure(Operation, $"index '{_indexName}', query '{queryString}'", response, body);
        }

        var page = SearchIndexAnswer.Read(body, queryString);
        AwsLog.IndexPage(_logger, queryString, page.Things.Count, page.NextToken is not null);
        return page;
    }

    public async IAsyncEnumerable<IndexedThing> SearchAsync(string queryString, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? nextToken = null;
        do
        {
            var page = await SearchPageAsync(queryString, nextToken, cancellationToken).ConfigureAwait(false);
            foreach (var thing in page.Things)
            {
                yield return thing;
            }

            nextToken = page.NextToken;
        }
        while (nextToken is not null);
    }

    public async ValueTask<IReadOnlyDictionary<string, ConnectionSnapshot>> ReadConnectivityAsync(IEnumerable<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        var names = thingNames.Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            AwsIotNames.ThrowIfInvalidThingName(name);
        }

        var found = new Dictionary<string, ConnectionSnapshot>(names.Count, StringComparer.Ordinal);
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(_pageSize))
        {
            await foreach (var thing in SearchAsync(FleetIndexQuery.ThingNames(chunk), cancellationToken).ConfigureAwait(false))
            {
                // The query is ours, but an index is matched by terms: keep only exactly the names asked about.
                if (thing.Connectivity is { } connectivity && wanted.Contains(thing.ThingName))
                {
                    found[thing.ThingName] = connectivity;
                }
            }
        }

        return found;
    }

    private byte[] Body(string queryString, string? nextToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("indexName", _indexName);
            writer.WriteString("queryString", queryString);
            writer.WriteNumber("maxResults", _pageSize);
            if (nextToken is not null)
            {
                writer.WriteString("nextToken", nextToken);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
