using System.Buffers;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>
/// Splits a UTF-8 stream into lines without decoding it: one pooled buffer, no string per line.
/// Blank lines are skipped, a trailing <c>\r</c> and a leading byte order mark are removed, and a line
/// longer than <see cref="MaxLineBytes"/> is reported instead of being buffered without bound.
/// </summary>
internal sealed class JsonLineReader
{
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>Handles one non-blank line; returns <see langword="false"/> to stop reading.</summary>
    public delegate bool LineHandler(long lineNumber, ReadOnlySpan<byte> line);

    /// <summary>Handles a line over <see cref="MaxLineBytes"/>; returns <see langword="false"/> to stop reading.</summary>
    public delegate bool OversizedLineHandler(long lineNumber);

    /// <summary>Reads the whole stream, or until a handler asks to stop.</summary>
    /// <returns>Whether the stream was read to its end.</returns>
    public static Task<bool> ReadAsync(Stream input, LineHandler onLine, OversizedLineHandler onOversized, CancellationToken cancellationToken)
        => ReadAsync(input, onLine, onOversized, afterChunk: null, cancellationToken);

    /// <summary>
    /// Reads the whole stream, or until a handler asks to stop; <paramref name="afterChunk"/> runs once the complete
    /// lines of each read were handled, and is awaited before the next read (which is how a caller holds the reader back).
    /// </summary>
    /// <returns>Whether the stream was read to its end.</returns>
    public static async Task<bool> ReadAsync(Stream input, LineHandler onLine, OversizedLineHandler onOversized, Func<CancellationToken, ValueTask>? afterChunk, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            var filled = 0;
            long lineNumber = 0;
            var skippingOversized = false;
            var first = true;
            var keepGoing = true;
            while (keepGoing)
            {
                var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                filled += read;
                var consumed = Process(buffer.AsSpan(0, filled), read == 0, ref lineNumber, ref skippingOversized, ref first, ref keepGoing, onLine, onOversized);
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (afterChunk is not null)
                {
                    await afterChunk(cancellationToken).ConfigureAwait(false);
                }

                if (read == 0)
                {
                    return keepGoing;
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Process(Span<byte> data, bool final, ref long lineNumber, ref bool skippingOversized, ref bool first, ref bool keepGoing, LineHandler onLine, OversizedLineHandler onOversized)
    {
        var consumed = 0;
        while (keepGoing)
        {
            var rest = data[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                // One byte of slack: the line may end in a \r whose \n has not arrived yet; three more for the
                // byte order mark the first line may start with. Neither counts towards the limit.
                var slack = first && rest.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 4 : 1;
                if (rest.Length > MaxLineBytes + slack && !skippingOversized)
                {
                    // Report once and drop what we have; the remainder of the line is dropped as it arrives.
                    keepGoing = onOversized(++lineNumber);
                    skippingOversized = true;
                    first = false;
                }

                if (skippingOversized)
                {
                    return data.Length;
                }

                if (final && !rest.IsEmpty)
                {
                    keepGoing = Emit(rest, ++lineNumber, ref first, onLine, onOversized);
                    return data.Length;
                }

                return consumed;
            }

            var line = rest[..newline];
            consumed += newline + 1;
            if (skippingOversized)
            {
                skippingOversized = false;
                continue;
            }

            keepGoing = Emit(line, ++lineNumber, ref first, onLine, onOversized);
        }

        return consumed;
    }

    private static bool Emit(ReadOnlySpan<byte> line, long lineNumber, ref bool first, LineHandler onLine, OversizedLineHandler onOversized)
    {
        if (first)
        {
            first = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                line = line[3..];
            }
        }

        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (line.Length > MaxLineBytes)
        {
            return onOversized(lineNumber);
        }

        return line.Trim(" \t"u8).IsEmpty || onLine(lineNumber, line);
    }
}
