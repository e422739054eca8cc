using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// A fake AWS service on Kestrel at 127.0.0.1 on a free port: records every request, verifies its SigV4
/// signature with the known test secret, and answers 403 to a bad one before the service logic sees it.
/// </summary>
public abstract class FakeAwsService : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly string _signingName;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private WebApplication? _app;

    /// <summary>Creates the fake; call <see cref="StartAsync"/> before use.</summary>
    /// <param name="signingName">The SigV4 service name requests must be signed for.</param>
    protected FakeAwsService(string signingName) => _signingName = signingName;

    /// <summary>The base URL, for example <c>http://127.0.0.1:50123</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request received so far, in order of arrival.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts listening.</summary>
    /// <returns>A task that completes once the fake accepts requests.</returns>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Answers a request whose signature is valid.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="request">The recorded request.</param>
    /// <returns>A task that completes once answered.</returns>
    protected abstract Task HandleValidAsync(HttpContext context, RecordedRequest request);

    /// <summary>Answers 403 in the service's own error format.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="problem">What is wrong with the signature.</param>
    /// <returns>A task that completes once answered.</returns>
    protected abstract Task RejectSignatureAsync(HttpContext context, string problem);

    /// <summary>The clock the signature's 15-minute rule is checked against (the SDK signs with the real clock).</summary>
    protected virtual DateTimeOffset SignatureClock => DateTimeOffset.UtcNow;

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = _clock.Elapsed;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString(), StringComparer.Ordinal);
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var body = buffer.ToArray();
        var signature = SigV4Verifier.Verify(context.Request.Method, rawTarget, headers, body, _signingName, SignatureClock);
        var request = new RecordedRequest { Method = context.Request.Method, RawTarget = rawTarget, Headers = headers, Body = body, Signature = signature, ReceivedAt = receivedAt };
        _requests.Enqueue(request);
        if (!signature.Valid)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await RejectSignatureAsync(context, signature.Problem ?? "invalid signature");
            return;
        }

        await HandleValidAsync(context, request);
    }
}
