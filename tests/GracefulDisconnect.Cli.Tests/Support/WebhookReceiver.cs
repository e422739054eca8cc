using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>A loopback HTTP receiver (HttpListener on 127.0.0.1, a free port) that answers 200 and keeps every request.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        // HttpListener cannot bind port 0; take a free one and bind it right away.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook/";
        }

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _loop.Exception;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue(new Received(
                context.Request.HttpMethod,
                context.Request.Headers.AllKeys.Where(key => key is not null).ToDictionary(key => key!, key => context.Request.Headers[key]!, StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    internal sealed record Received(string Method, Dictionary<string, string> Headers, byte[] Body);
}
