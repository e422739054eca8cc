using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>
/// A small SMTP server on 127.0.0.1 (a port of its own) that speaks enough real SMTP for MailKit: greeting, EHLO
/// with capabilities, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT. It records every
/// accepted message and the command transcript, and can misbehave on cue (<see cref="FailNextSession"/>). It never
/// sleeps: a "slow" server simply does not answer until the client gives up or the server is disposed.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private const string Name = "loopback.test";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<SmtpFault> _faults = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly ConcurrentQueue<string> _transcript = new();
    private readonly ConcurrentQueue<(string Mechanism, string User, string Password)> _authAttempts = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Task _accepting;
    private int _active;
    private int _maxActive;
    private int _sessionCount;

    public LoopbackSmtpServer(SmtpServerOptions? options = null)
    {
        Options = options ?? new SmtpServerOptions();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public SmtpServerOptions Options { get; }

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>Every line, <c>C: </c> from the client and <c>S: </c> from the server, without message content.</summary>
    public IReadOnlyList<string> Transcript => [.. _transcript];

    public IReadOnlyList<(string Mechanism, string User, string Password)> AuthAttempts => [.. _authAttempts];

    public int Sessions => Volatile.Read(ref _sessionCount);

    public int MaxConcurrentSessions => Volatile.Read(ref _maxActive);

    /// <summary>The next session (connection) misbehaves as told; later ones behave unless told too.</summary>
    public void FailNextSession(SmtpFault fault) => _faults.Enqueue(fault);

    public ReceivedMail OnlyMessage() => Xunit.Assert.Single(Received);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
            await Task.WhenAll(_sessions);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _sessions.Add(Task.Run(() => RunSessionAsync(client)));
        }
    }

    private async Task RunSessionAsync(TcpClient client)
    {
        Interlocked.Increment(ref _sessionCount);
        var active = Interlocked.Increment(ref _active);
        int seen;
        while (active > (seen = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, active, seen) != seen)
        {
        }

        var fault = _faults.TryDequeue(out var next) ? next : SmtpFault.None;
        try
        {
            using (client)
            {
                await new Session(this, client, fault).RunAsync(_stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: either ends the session.
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private sealed class Session(LoopbackSmtpServer server, TcpClient client, SmtpFault fault)
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly LineReader _reader = new(client.GetStream());
        private string? _authenticatedAs;
        private string? _mailFrom;
        private readonly List<string> _recipients = [];

        public async Task RunAsync(CancellationToken stop)
        {
            switch (fault)
            {
                case SmtpFault.HangOnGreeting:
                    await WaitForeverAsync(stop);
                    return;
                case SmtpFault.RejectGreeting421:
                    await ReplyAsync($"421 4.3.2 {Name} Service not available, closing transmission channel", stop);
                    return;
            }

            await ReplyAsync($"220 {Name} ESMTP GracefulDisconnect test server", stop);
            while (await _reader.ReadLineAsync(stop) is { } bytes)
            {
                var line = Encoding.UTF8.GetString(bytes);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? string.Empty : line[(space + 1)..];
                server._transcript.Enqueue("C: " + (verb == "AUTH" ? "AUTH " + argument.Split(' ')[0] + " ..." : line));
                switch (verb)
                {
                    case "EHLO":
                        await ReplyAsync(Capabilities(), stop);
                        break;
                    case "HELO":
                        await ReplyAsync($"250 {Name}", stop);
                        break;
                    case "AUTH":
                        await AuthenticateAsync(argument, stop);
                        break;
                    case "MAIL":
                        await MailAsync(argument, stop);
                        break;
                    case "RCPT":
                        await RecipientAsync(argument, stop);
                        break;
                    case "DATA":
                        if (!await DataAsync(stop))
                        {
                            return;
                        }

                        break;
                    case "RSET":
                        Reset();
                        await ReplyAsync("250 2.0.0 Ok", stop);
                        break;
                    case "NOOP":
                        await ReplyAsync("250 2.0.0 Ok", stop);
                        break;
                    case "QUIT":
                        await ReplyAsync("221 2.0.0 Bye", stop);
                        return;
                    case "STARTTLS":
                        await ReplyAsync("454 4.7.0 TLS not available", stop);
                        break;
                    default:
                        await ReplyAsync("502 5.5.2 Error: command not recognized", stop);
                        break;
                }
            }
        }

        private string Capabilities()
        {
            var lines = new List<string> { Name, "SIZE 10485760" };
            if (server.Options.EightBitMime)
            {
                lines.Add("8BITMIME");
            }

            if (server.Options.SmtpUtf8)
            {
                lines.Add("SMTPUTF8");
            }

            if (server.Options.AuthMechanisms.Count > 0)
            {
                lines.Add("AUTH " + string.Join(' ', server.Options.AuthMechanisms));
            }

            lines.Add("ENHANCEDSTATUSCODES");
            return string.Join("\r\n", lines.Select((text, i) => (i == lines.Count - 1 ? "250 " : "250-") + text));
        }

        private async Task AuthenticateAsync(string argument, CancellationToken stop)
        {
            var parts = argument.Split(' ', 2);
            var mechanism = parts[0].ToUpperInvariant();
            var initial = parts.Length > 1 ? parts[1] : null;
            if (!server.Options.AuthMechanisms.Contains(mechanism))
            {
                await ReplyAsync("504 5.5.4 Unrecognized authentication type", stop);
                return;
            }

            string user, password, echo;
            if (mechanism == "PLAIN")
            {
                if (initial is null)
                {
                    await ReplyAsync("334 ", stop);
                    initial = await ReadTextAsync(stop);
                }

                var fields = Decode(initial).Split('\0');
                (user, password, echo) = fields.Length == 3 ? (fields[1], fields[2], initial) : (string.Empty, string.Empty, initial);
            }
            else
            {
                if (initial is null)
                {
                    await ReplyAsync("334 VXNlcm5hbWU6", stop);
                    initial = await ReadTextAsync(stop);
                }

                user = Decode(initial);
                await ReplyAsync("334 UGFzc3dvcmQ6", stop);
                echo = await ReadTextAsync(stop);
                password = Decode(echo);
            }

            server._authAttempts.Enqueue((mechanism, user, password));
            var accepted = fault != SmtpFault.RejectAuth535
                && (server.Options.UserName is null || (user == server.Options.UserName && password == server.Options.Password));
            if (!accepted)
            {
                var quote = server.Options.EchoCredentialsOnAuthFailure ? $" (got {echo} for {user}, password {password})" : string.Empty;
                await ReplyAsync("535 5.7.8 Authentication credentials invalid" + quote, stop);
                return;
            }

            _authenticatedAs = user;
            await ReplyAsync("235 2.7.0 Authentication successful", stop);
        }

        private async Task MailAsync(string argument, CancellationToken stop)
        {
            if (server.Options.UserName is not null && _authenticatedAs is null)
            {
                await ReplyAsync("530 5.7.0 Authentication required", stop);
                return;
            }

            Reset();
            _mailFrom = Address(argument);
            await ReplyAsync("250 2.1.0 Ok", stop);
        }

        private async Task RecipientAsync(string argument, CancellationToken stop)
        {
            if (_mailFrom is null)
            {
                await ReplyAsync("503 5.5.1 Error: need MAIL command", stop);
                return;
            }

            var address = Address(argument);
            if (fault == SmtpFault.RejectRecipient550)
            {
                await ReplyAsync($"550 5.1.1 <{address}>: Recipient address rejected: User unknown in local recipient table", stop);
                return;
            }

            _recipients.Add(address);
            await ReplyAsync("250 2.1.5 Ok", stop);
        }

        // False when the session ends here (dropped or hung).
        private async Task<bool> DataAsync(CancellationToken stop)
        {
            if (_mailFrom is null || _recipients.Count == 0)
            {
                await ReplyAsync("554 5.5.1 Error: no valid recipients", stop);
                return true;
            }

            await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", stop);
            using var data = new MemoryStream();
            var lines = 0;
            while (true)
            {
                var line = await _reader.ReadLineAsync(stop) ?? throw new IOException("The client closed the connection during DATA.");
                if (line is [(byte)'.'])
                {
                    break;
                }

                if (++lines == 1 && fault == SmtpFault.DropDuringData)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    return false;
                }

                var unstuffed = line.Length > 0 && line[0] == (byte)'.' ? line.AsSpan(1) : line;
                data.Write(unstuffed);
                data.Write("\r\n"u8);
            }

            switch (fault)
            {
                case SmtpFault.HangAfterData:
                    await WaitForeverAsync(stop);
                    return false;
                case SmtpFault.HangUpAfterData:
                    client.Client.Shutdown(SocketShutdown.Both);
                    return false;
                case SmtpFault.RejectData554:
                    await ReplyAsync("554 5.7.1 Message rejected: looks like spam", stop);
                    Reset();
                    return true;
            }

            server._received.Enqueue(new ReceivedMail(_mailFrom, [.. _recipients], _authenticatedAs, data.ToArray()));
            await ReplyAsync($"250 2.0.0 Ok: queued as Q{server._received.Count}", stop);
            Reset();
            return true;
        }

        private void Reset()
        {
            _mailFrom = null;
            _recipients.Clear();
        }

        private async Task<string> ReadTextAsync(CancellationToken stop)
            => Encoding.UTF8.GetString(await _reader.ReadLineAsync(stop) ?? throw new IOException("The client closed the connection during AUTH."));

        private async Task ReplyAsync(string reply, CancellationToken stop)
        {
            foreach (var line in reply.Split("\r\n"))
            {
                server._transcript.Enqueue("S: " + line);
            }

            await _stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), stop);
        }

        private static async Task WaitForeverAsync(CancellationToken stop) => await Task.Delay(Timeout.Infinite, stop);

        private static string Decode(string base64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException)
            {
                return string.Empty;
            }
        }

        // "FROM:<a@b> BODY=8BITMIME" → "a@b".
        private static string Address(string argument)
        {
            var open = argument.IndexOf('<', StringComparison.Ordinal);
            var close = argument.IndexOf('>', StringComparison.Ordinal);
            return open >= 0 && close > open ? argument[(open + 1)..close] : argument;
        }
    }

    /// <summary>Reads CRLF-terminated lines as bytes: DATA is 8-bit and must arrive as sent.</summary>
    private sealed class LineReader(Stream stream)
    {
        private byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var length = newline - _start;
                    if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                    {
                        length--;
                    }

                    var line = _buffer.AsSpan(_start, length).ToArray();
                    _start = newline + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                _end += read;
            }
        }
    }
}
