using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>
/// A slow webhook receiver on loopback (HttpListener on 127.0.0.1, a free port): each request is answered 200 only
/// after <see cref="Hold"/>, so a <c>run</c> process spends real time in the middle of a send, and a sender's requests
/// can be held without an answer at all (<see cref="StopAnswering"/>) so a test kills the process at a moment it knows:
/// one message on the wire, not acknowledged. Senders are told apart by the path of their URL (<see cref="UrlFor"/>).
/// Requests are served concurrently: one held sender never slows another.
/// </summary>
internal sealed class HoldingWebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<string, bool> _silent = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private readonly string _base;

    public HoldingWebhookReceiver(TimeSpan hold)
    {
        Hold = hold;

        // HttpListener cannot bind port 0; take a free one and bind it right away.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _base = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }

        _listener.Prefixes.Add(_base);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>How long each answered request waits before its 200.</summary>
    public TimeSpan Hold { get; }

    /// <summary>Every request as it arrived, answered or not.</summary>
    public ConcurrentQueue<Request> Received { get; } = new();

    /// <summary>The requests answered 200 (the sender's channel acknowledged them), in the order answered.</summary>
    public ConcurrentQueue<Request> Answered { get; } = new();

    /// <summary>The webhook URL of one sender (a process), such as <c>a</c>.</summary>
    public string UrlFor(string sender) => $"{_base}{sender}/";

    /// <summary>From now on the sender's requests are kept open and never answered (until disposal).</summary>
    public void StopAnswering(string sender) => _silent[sender] = true;

    /// <summary>Answers the sender's requests again (a restarted process).</summary>
    public void Answer(string sender) => _silent.TryRemove(sender, out _);

    /// <summary>
    /// The sender's requests kept unanswered since <see cref="StopAnswering"/>. A channel sends one message at a time,
    /// so once one is here the sender's previous request has had its answer.
    /// </summary>
    public List<Request> HeldFrom(string sender) => [.. Received.Where(r => r.Sender == sender && r.Silenced)];

    public int AnsweredFrom(string sender) => Answered.Count(r => r.Sender == sender);

    public void Dispose()
    {
        _closing.Cancel();
        _listener.Stop();
        _listener.Close();
        _ = _loop.Exception;
        _closing.Dispose();
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
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var sender = context.Request.Url!.AbsolutePath.Trim('/');
            var id = context.Request.Headers["X-GracefulDisconnect-Id"] ?? string.Empty;
            using var json = JsonDocument.Parse(body.ToArray());
            var request = new Request(sender, id, json.RootElement.GetProperty("thing").GetString()!) { Silenced = _silent.ContainsKey(sender) };
            Received.Enqueue(request);
            if (request.Silenced)
            {
                // Kept open: the sender is killed while it waits, or the receiver closes with the test.
                await Task.Delay(Timeout.Infinite, _closing.Token);
            }

            await Task.Delay(Hold, _closing.Token);
            context.Response.StatusCode = 200;
            context.Response.Close();
            request.MarkDone();
            Answered.Enqueue(request);
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // Closing, or the sender went away (killed) before its answer.
        }
    }

    internal sealed class Request(string sender, string id, string thing)
    {
        public string Sender { get; } = sender;

        public string Id { get; } = id;

        public string Thing { get; } = thing;

        private volatile bool _done;

        public bool Silenced { get; set; }

        public bool Done => _done;

        public void MarkDone() => _done = true;

        public override string ToString() => $"{Sender}:{Id}{(Done ? string.Empty : " (unanswered)")}";
    }
}
