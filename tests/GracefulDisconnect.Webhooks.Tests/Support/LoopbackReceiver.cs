using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Webhooks.Tests.Support;

/// <summary>One request the receiver got, as it was on the wire.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>What the receiver answers to one request instead of <c>200 ok</c>.</summary>
public sealed record ScriptedResponse(int Status, string Body = "", int? RetryAfterSeconds = null, string? Location = null, bool Hang = false);

/// <summary>
/// A webhook receiver on Kestrel at 127.0.0.1 on a free port: records every request and answers <c>200 ok</c>, or what
/// the test queued (an error status, a Retry-After, a redirect, or no answer at all until the client gives up).
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private WebApplication? _app;

    private LoopbackReceiver()
    {
    }

    /// <summary>The base URL, for example <c>http://127.0.0.1:50123/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>What success looks like for this service (Slack: 200 "ok"; a Teams workflow: 202 with no body).</summary>
    public (int Status, string Body) Success { get; set; } = (200, "ok");

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var receiver = new LoopbackReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        receiver._app = builder.Build();
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>A URL on this receiver with the given path and query, as a Slack or Teams URL would carry its secret.</summary>
    public string Url(string pathAndQuery) => new Uri(Endpoint, pathAndQuery).ToString();

    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>Waits (in real time, bounded) until at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count) => Eventually.TrueAsync(() => _requests.Count >= count, $"{count} requests have arrived");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString(), StringComparer.Ordinal);
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        _requests.Enqueue(new ReceivedRequest(context.Request.Method, rawTarget, headers, buffer.ToArray()));

        if (!_script.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = Success.Status;
            await context.Response.WriteAsync(Success.Body);
            return;
        }

        if (scripted.Hang)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.StatusCode = scripted.Status;
        if (scripted.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (scripted.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(scripted.Body);
    }
}
