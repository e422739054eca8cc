using System.Text;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Appends one JSON line per notification to a file, at most once per outage id — also across crashes:
/// on start it reads the ids already in the file, so a notification re-sent by the outbox after a kill
/// is recognised and not written twice. Each line is written with one write and flushed to disk.
/// </summary>
internal sealed class FileNotifier : INotifier, IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly FileStream _file;

    public FileNotifier(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var endsWithNewline = true;
        using (var reader = new StreamReader(_file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            while (reader.ReadLine() is { } line)
            {
                if (NotificationLine.TryReadId(line) is { } id)
                {
                    _written.Add(id);
                }
            }
        }

        if (_file.Length > 0)
        {
            _file.Seek(-1, SeekOrigin.End);
            endsWithNewline = _file.ReadByte() == '\n';
        }

        _file.Seek(0, SeekOrigin.End);
        if (!endsWithNewline)
        {
            // A kill in the middle of a write leaves a torn line; the next line must not be glued to it.
            _file.WriteByte((byte)'\n');
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _written.Count;
            }
        }
    }

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_gate)
        {
            if (_written.Contains(notification.NotificationId))
            {
                return ValueTask.CompletedTask;
            }

            _file.Write(Encoding.UTF8.GetBytes(NotificationLine.Format(notification) + "\n"));
            _file.Flush(flushToDisk: true);
            _written.Add(notification.NotificationId);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _file.Dispose();
}
