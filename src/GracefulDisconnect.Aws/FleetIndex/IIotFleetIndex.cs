namespace GracefulDisconnect.Aws;

/// <summary>
/// Searches the AWS IoT fleet index (<c>SearchIndex</c>): to find things offline whose disconnect never reached
/// us (the sweep), and to confirm many due re-checks in pages of up to 100 things instead of one read each.
/// </summary>
public interface IIotFleetIndex
{
    /// <summary>Reads one page of a search.</summary>
    /// <param name="queryString">The query, for example <c>connectivity.connected:false</c>.</param>
    /// <param name="nextToken">The previous page's <see cref="FleetIndexPage.NextToken"/>, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page.</returns>
    /// <exception cref="AwsServiceException">The service refused the search (for example <c>InvalidQueryException</c>, or <c>IndexNotReadyException</c>).</exception>
    ValueTask<FleetIndexPage> SearchPageAsync(string queryString, string? nextToken = null, CancellationToken cancellationToken = default);

    /// <summary>Every thing a search finds, page after page.</summary>
    /// <param name="queryString">The query.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The things, in the service's order.</returns>
    IAsyncEnumerable<IndexedThing> SearchAsync(string queryString, CancellationToken cancellationToken = default);

    /// <summary>
    /// The indexed connectivity of many things, asked about a page at a time (<c>thingName:a OR thingName:b ...</c>).
    /// A thing the index does not know, or holds no connectivity for, is absent from the answer.
    /// </summary>
    /// <param name="thingNames">The things (valid thing names).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The connectivity by thing name.</returns>
    /// <exception cref="ArgumentException">A thing name is not valid.</exception>
    ValueTask<IReadOnlyDictionary<string, ConnectionSnapshot>> ReadConnectivityAsync(IEnumerable<string> thingNames, CancellationToken cancellationToken = default);
}
