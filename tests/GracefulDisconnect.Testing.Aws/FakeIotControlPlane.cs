using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// A fake AWS IoT control plane (signing name <c>iot</c>) serving what GracefulDisconnect uses of fleet indexing:
/// <c>POST /things/{thingName}/connectivity-data</c> (<c>GetThingConnectivityData</c>, timestamp in epoch seconds)
/// and <c>POST /indices/search</c> (<c>SearchIndex</c> over <c>AWS_Things</c>, connectivity timestamp in epoch
/// milliseconds, pages with an opaque <c>nextToken</c>), from things the test registers. Queries understood:
/// <c>connectivity.connected:true|false</c>, <c>*</c>, and <c>thingName:a OR thingName:"b:c" ...</c>; others are
/// answered 400 <c>InvalidQueryException</c>, as the service does for syntax it cannot parse.
/// </summary>
public sealed class FakeIotControlPlane : FakeAwsService
{
    private const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazonaws.iot/";
    private readonly ConcurrentDictionary<string, Thing> _things = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedFailure> _failures = new();
    private readonly ConcurrentDictionary<string, Thing?> _brokerViews = new(StringComparer.Ordinal);

    private FakeIotControlPlane()
        : base("iot")
    {
    }

    /// <summary>The largest <c>maxResults</c> accepted (the service model's documented maximum).</summary>
    public int MaxResults { get; set; } = 100;

    /// <summary>Starts a fake.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeIotControlPlane> StartNewAsync()
    {
        var fake = new FakeIotControlPlane();
        await fake.StartAsync();
        return fake;
    }

    /// <summary>Registers a thing whose broker connectivity is known.</summary>
    /// <param name="thingName">The thing (and its client id).</param>
    /// <param name="connected">Whether it is connected.</param>
    /// <param name="changedAt">When it last connected or disconnected (kept to milliseconds, as the service does).</param>
    /// <param name="disconnectReason">The reason of the last disconnect.</param>
    public void PutThing(string thingName, bool connected, DateTimeOffset changedAt, string? disconnectReason = "CONNECTION_LOST")
        => _things[thingName] = new Thing(thingName, connected, changedAt.ToUnixTimeMilliseconds(), connected ? null : disconnectReason);

    /// <summary>Registers a thing the broker has never seen connect (no connectivity data).</summary>
    /// <param name="thingName">The thing.</param>
    public void PutThingNeverConnected(string thingName) => _things[thingName] = new Thing(thingName, null, null, null);

    /// <summary>
    /// Makes <c>GetThingConnectivityData</c> answer differently from the index for one thing, as when the index lags
    /// the broker (it is updated asynchronously): <paramref name="connected"/> null answers 404, as for a thing deleted since.
    /// </summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="connected">The broker's state, or null for no such thing.</param>
    /// <param name="changedAt">When it changed.</param>
    public void PutBrokerView(string thingName, bool? connected, DateTimeOffset changedAt = default)
        => _brokerViews[thingName] = connected is { } state ? new Thing(thingName, state, changedAt.ToUnixTimeMilliseconds(), state ? null : "CONNECTION_LOST") : null;

    /// <summary>Forgets every thing.</summary>
    public void Clear()
    {
        _things.Clear();
        _brokerViews.Clear();
    }

    /// <summary>Makes the next request fail (queued failures are used one per request, in order).</summary>
    /// <param name="failure">The failure.</param>
    public void FailNext(ScriptedFailure failure) => _failures.Enqueue(failure);

    /// <summary>The <c>SearchIndex</c> requests received, decoded.</summary>
    public IReadOnlyList<JsonElement> SearchRequests
        => [.. Requests.Where(request => request.RawPath == "/indices/search" && request.Signature.Valid).Select(request => JsonDocument.Parse(request.Body).RootElement.Clone())];

    /// <summary>The <c>GetThingConnectivityData</c> requests received.</summary>
    public IReadOnlyList<RecordedRequest> ConnectivityRequests
        => [.. Requests.Where(request => request.RawPath.EndsWith("/connectivity-data", StringComparison.Ordinal))];

    /// <inheritdoc/>
    protected override async Task HandleValidAsync(HttpContext context, RecordedRequest request)
    {
        if (_failures.TryDequeue(out var failure))
        {
            await ErrorAsync(context, failure.Status, failure.Code, failure.Message, failure.RetryAfterSeconds);
            return;
        }

        var segments = context.Request.Path.Value!.Split('/');
        if (request.Method == "POST" && segments.Length == 4 && segments[1] == "things" && segments[3] == "connectivity-data")
        {
            await ConnectivityAsync(context, segments[2]);
        }
        else if (request.Method == "POST" && request.RawPath == "/indices/search")
        {
            await SearchAsync(context, request.Body);
        }
        else
        {
            await ErrorAsync(context, 400, "InvalidRequestException", $"Unsupported request {request.Method} {request.RawPath}");
        }
    }

    /// <inheritdoc/>
    protected override Task RejectSignatureAsync(HttpContext context, string problem)
        => ErrorAsync(context, 403, "ForbiddenException", $"The request signature we calculated does not match the signature you provided. ({problem})");

    private async Task ConnectivityAsync(HttpContext context, string thingName)
    {
        var thing = _brokerViews.TryGetValue(thingName, out var view) ? view : _things.GetValueOrDefault(thingName);
        if (thing is null)
        {
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Thing {thingName} cannot be found.");
            return;
        }

        var json = new StringBuilder("{\"thingName\":").Append(JsonSerializer.Serialize(thing.Name));
        if (thing.Connected is { } connected)
        {
            json.Append(",\"connected\":").Append(connected ? "true" : "false")
                .Append(",\"timestamp\":").Append((thing.TimestampMs!.Value / 1000m).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            json.Append(",\"connected\":false");
        }

        if (thing.DisconnectReason is { } reason)
        {
            json.Append(",\"disconnectReason\":").Append(JsonSerializer.Serialize(reason));
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.Append('}').ToString());
    }

    private async Task SearchAsync(HttpContext context, byte[] body)
    {
        JsonElement request;
        try
        {
            request = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "InvalidRequestException", "The request body is not valid JSON.");
            return;
        }

        var indexName = request.TryGetProperty("indexName", out var index) ? index.GetString() : "AWS_Things";
        if (indexName != "AWS_Things")
        {
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Index {indexName} does not exist.");
            return;
        }

        var maxResults = request.TryGetProperty("maxResults", out var max) ? max.GetInt32() : 100;
        if (maxResults < 1 || maxResults > MaxResults)
        {
            await ErrorAsync(context, 400, "InvalidRequestException", $"maxResults must be between 1 and {MaxResults}.");
            return;
        }

        var query = request.TryGetProperty("queryString", out var q) ? q.GetString() ?? string.Empty : string.Empty;
        var match = Matcher(query);
        if (match is null)
        {
            await ErrorAsync(context, 400, "InvalidQueryException", $"Syntax error in query string: {query}");
            return;
        }

        var offset = 0;
        if (request.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String)
        {
            if (!TryReadToken(token.GetString()!, query, out offset))
            {
                await ErrorAsync(context, 400, "InvalidRequestException", "The nextToken is not valid for this query.");
                return;
            }
        }

        var matching = _things.Values.Where(match).OrderBy(thing => thing.Name, StringComparer.Ordinal).ToList();
        var page = matching.Skip(offset).Take(maxResults).ToList();
        var next = offset + page.Count < matching.Count ? Token(offset + page.Count, query) : null;

        var json = new StringBuilder("{\"things\":[");
        for (var i = 0; i < page.Count; i++)
        {
            var thing = page[i];
            json.Append(i == 0 ? string.Empty : ",").Append("{\"thingName\":").Append(JsonSerializer.Serialize(thing.Name))
                .Append(",\"thingId\":\"").Append(Guid.NewGuid()).Append('"');
            if (thing.Connected is { } connected)
            {
                json.Append(",\"connectivity\":{\"connected\":").Append(connected ? "true" : "false")
                    .Append(",\"timestamp\":").Append(thing.TimestampMs!.Value.ToString(CultureInfo.InvariantCulture));
                if (thing.DisconnectReason is { } reason)
                {
                    json.Append(",\"disconnectReason\":").Append(JsonSerializer.Serialize(reason));
                }

                json.Append('}');
            }

            json.Append('}');
        }

        json.Append(']');
        if (next is not null)
        {
            json.Append(",\"nextToken\":").Append(JsonSerializer.Serialize(next));
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.Append('}').ToString());
    }

    private static Func<Thing, bool>? Matcher(string query)
    {
        switch (query.Trim())
        {
            case "*":
                return _ => true;
            case "connectivity.connected:false":
                return thing => thing.Connected == false;
            case "connectivity.connected:true":
                return thing => thing.Connected == true;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in query.Split(" OR ", StringSplitOptions.TrimEntries))
        {
            if (!term.StartsWith("thingName:", StringComparison.Ordinal))
            {
                return null;
            }

            var value = term["thingName:".Length..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }
            else if (value.Contains(':', StringComparison.Ordinal))
            {
                // Unquoted, a second ':' is read as another field separator.
                return null;
            }

            names.Add(value);
        }

        return thing => names.Contains(thing.Name);
    }

    // Opaque to the client, tied to the query as the real tokens are.
    private static string Token(int offset, string query)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}|{query}"));

    private static bool TryReadToken(string token, string query, out int offset)
    {
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            return parts.Length == 2 && parts[1] == query && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string errorType, string message, int? retryAfterSeconds = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = errorType + ErrorTypeSuffix;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(new { message }));
    }

    private sealed record Thing(string Name, bool? Connected, long? TimestampMs, string? DisconnectReason);
}
