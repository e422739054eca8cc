using System.Text;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Appends one JSON line per notification to a file, at most once per outage id — also across crashes:
/// on start it reads the ids already in the file, so a notification re-sent by the outbox after a kill
/// is recognised and not written twice. Each line is written with one write and flushed to disk. The file is
/// appended to only: a lock file beside it (<c>.lock</c>) keeps a second process from writing it at the same time.
/// </summary>
internal sealed class FileNotifier : INamedNotifier, IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly FileStream _lock;
    private readonly FileStream _file;

    private FileNotifier(FileStream fileLock, FileStream file)
    {
        _lock = fileLock;
        _file = file;
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

    /// <summary>Opens the file for appending, creating it (not its folder), and takes its lock.</summary>
    /// <exception cref="IOException">The path is a directory, its folder does not exist, it cannot be written, or another process holds it; the message says which.</exception>
    public static FileNotifier Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"notify file '{full}' is a directory; give a file path, for example {Path.Combine(full, "alerts.jsonl")}");
        }

        if (Path.GetDirectoryName(full) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            throw new IOException($"notify file '{full}': the folder '{folder}' does not exist; create it first");
        }

        FileStream fileLock;
        try
        {
            fileLock = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException)
        {
            throw new IOException($"notify file '{full}' is in use by another process (its lock '{full}.lock' is held)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"notify file '{full}': its folder is read-only for this user");
        }

        try
        {
            return new FileNotifier(fileLock, new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            fileLock.Dispose();
            throw new IOException($"notify file '{full}' cannot be opened for writing: {exception.Message}", exception);
        }
    }

    public string Name => "notify-file";

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
            // To the operating system, not the disk: the line survives this process being killed, as the store's commit does.
            _file.Flush();
            _written.Add(notification.NotificationId);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _file.Dispose();
        _lock.Dispose();
    }
}
