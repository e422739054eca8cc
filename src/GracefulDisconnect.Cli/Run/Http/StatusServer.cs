using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// <c>run --http</c>: a Kestrel server of its own beside the engine's host (an empty builder: no appsettings.json or
/// ASPNETCORE_ variables from the working directory change where it listens), serving the status page, <c>/metrics</c>
/// and <c>/healthz</c>, read-only (GET and HEAD), every path behind the token when one is set.
/// </summary>
internal sealed partial class StatusServer(
    StatusEndpoint endpoint,
    StatusReader reader,
    PrometheusExporter metrics,
    IDeviceStore store,
    DeviceEngineHealth health,
    Func<EventSourceState> source,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    private readonly StatusAccess _access = new(endpoint.Token);
    private readonly ILogger _logger = loggerFactory.CreateLogger<StatusServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(endpoint.EndPoint);
        });
        builder.Services.AddSingleton(loggerFactory);
        _app = builder.Build();
        _app.Run(HandleAsync);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            throw new StatusServerException($"--http {endpoint.EndPoint}: cannot listen: {exception.Message}", exception);
        }

        Listening(_logger, endpoint.Url, !_access.IsOpen);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Frame-Options"] = "DENY";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            await Text(response, "read-only: GET or HEAD\n");
            return;
        }

        if (!_access.Allows(request))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Bearer realm=\"gracefuldisconnect\", Basic realm=\"gracefuldisconnect (any user name, the token as password)\"";
            await Text(response, "a token is required: Authorization: Bearer <token>\n");
            return;
        }

        switch (request.Path.Value)
        {
            case "/":
                await PageAsync(context);
                break;
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await response.WriteAsync(metrics.Scrape(), context.RequestAborted);
                break;
            case "/healthz":
                await HealthAsync(context);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                await Text(response, "not found: /, /metrics and /healthz are served\n");
                break;
        }
    }

    private async Task PageAsync(HttpContext context)
    {
        DeviceStatusCursor? after = null;
        var query = context.Request.Query;
        if (long.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks && query["thing"].ToString() is { } thing)
        {
            after = new DeviceStatusCursor(new DateTimeOffset(ticks, TimeSpan.Zero), thing);
        }

        StatusSnapshot snapshot;
        try
        {
            snapshot = await reader.ReadAsync(after, context.RequestAborted);
        }
        catch (DeviceStoreException exception)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await Text(context.Response, $"store: {exception.Message}\n");
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = StatusPage.ContentSecurityPolicy;
        await context.Response.WriteAsync(StatusPage.Render(snapshot), context.RequestAborted);
    }

    // 200 "ok" while the engine runs, the source is connected and the store answers; otherwise 503 with one line
    // saying which is wrong.
    private async Task HealthAsync(HttpContext context)
    {
        string? problem = null;
        if (health.Fault is { } fault)
        {
            problem = $"engine stopped: {fault.Message}";
        }
        else if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            problem = "engine stopping";
        }
        else if (source() is { Connected: false } blind)
        {
            problem = $"source: not connected to {blind.Name}{(blind.Since is { } since ? $" since {since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : string.Empty)}";
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(StoreTimeout);
            try
            {
                await store.CountAsync(timeout.Token);
            }
            catch (DeviceStoreException exception)
            {
                problem = $"store: {exception.Message}";
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                problem = $"store: no answer within {StoreTimeout.TotalSeconds:0} s";
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                problem = $"store: {exception.GetType().Name}: {exception.Message}";
            }
        }

        context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await Text(context.Response, (problem ?? "ok").ReplaceLineEndings(" ") + "\n");
    }

    private static Task Text(HttpResponse response, string text)
    {
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Status page on {Url} (token required: {TokenRequired})")]
    private static partial void Listening(ILogger logger, string url, bool tokenRequired);
}
