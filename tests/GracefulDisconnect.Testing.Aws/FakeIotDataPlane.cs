using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// A fake AWS IoT Data Plane serving <c>GET /things/{thingName}/shadow[?name=]</c> from shadows the test
/// puts in, with the real service's error shapes (<c>x-amzn-ErrorType</c> with its suffix, JSON <c>message</c>).
/// </summary>
public sealed class FakeIotDataPlane : FakeAwsService
{
    private const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazonaws.iot.data/";
    private readonly ConcurrentDictionary<(string Thing, string Shadow), string> _shadows = new();
    private readonly ConcurrentQueue<ScriptedFailure> _failures = new();

    private FakeIotDataPlane()
        : base("iotdata")
    {
    }

    /// <summary>Starts a fake.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeIotDataPlane> StartNewAsync()
    {
        var fake = new FakeIotDataPlane();
        await fake.StartAsync();
        return fake;
    }

    /// <summary>Stores a shadow document as the service would return it.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="document">The raw JSON document.</param>
    /// <param name="shadowName">A named shadow, or null for the classic one.</param>
    public void PutShadow(string thingName, string document, string? shadowName = null) => _shadows[(thingName, shadowName ?? string.Empty)] = document;

    /// <summary>Stores a shadow whose <c>connected</c> attribute was last reported at <paramref name="changedAt"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="connected">The reported state.</param>
    /// <param name="changedAt">When it was reported (kept to whole seconds, as AWS does).</param>
    /// <param name="shadowName">A named shadow, or null for the classic one.</param>
    /// <param name="version">The shadow version.</param>
    public void PutShadow(string thingName, bool connected, DateTimeOffset changedAt, string? shadowName = null, long version = 7)
    {
        var seconds = changedAt.ToUnixTimeSeconds();
        var state = connected ? "true" : "false";
        var document = "{\"state\":{\"reported\":{\"connected\":" + state + ",\"firmware\":\"1.4.2\"}},"
            + "\"metadata\":{\"reported\":{\"connected\":{\"timestamp\":" + seconds + "},\"firmware\":{\"timestamp\":" + (seconds - 86400) + "}}},"
            + "\"version\":" + version + ",\"timestamp\":" + (seconds + 30) + "}";
        PutShadow(thingName, document, shadowName);
    }

    /// <summary>Makes the next request fail (queued failures are used one per request, in order).</summary>
    /// <param name="failure">The failure.</param>
    public void FailNext(ScriptedFailure failure) => _failures.Enqueue(failure);

    /// <summary>Queues <paramref name="count"/> throttling answers (429 <c>ThrottlingException</c>).</summary>
    /// <param name="count">How many.</param>
    public void ThrottleNext(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            FailNext(new ScriptedFailure(429, "ThrottlingException", "Rate exceeded"));
        }
    }

    /// <inheritdoc/>
    protected override async Task HandleValidAsync(HttpContext context, RecordedRequest request)
    {
        if (_failures.TryDequeue(out var failure))
        {
            await ErrorAsync(context, failure.Status, failure.Code, failure.Message, failure.RetryAfterSeconds);
            return;
        }

        var segments = context.Request.Path.Value!.Split('/');
        if (request.Method != "GET" || segments.Length != 4 || segments[1] != "things" || segments[3] != "shadow")
        {
            await ErrorAsync(context, 400, "InvalidRequestException", $"Unsupported request {request.Method} {request.RawPath}");
            return;
        }

        var shadowName = context.Request.Query.TryGetValue("name", out var name) ? name.ToString() : string.Empty;
        if (!_shadows.TryGetValue((segments[2], shadowName), out var document))
        {
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"No shadow exists with name: '{segments[2]}{(shadowName.Length == 0 ? string.Empty : "~" + shadowName)}'");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(document);
    }

    /// <inheritdoc/>
    protected override Task RejectSignatureAsync(HttpContext context, string problem)
        => ErrorAsync(context, 403, "ForbiddenException", $"The request signature we calculated does not match the signature you provided. ({problem})");

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

        return context.Response.WriteAsync(JsonSerializer.Serialize(new { code = status, message }));
    }
}
