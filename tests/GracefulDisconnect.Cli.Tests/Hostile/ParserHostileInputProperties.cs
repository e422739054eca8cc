using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Hostile;

/// <summary>
/// Every event parser fed garbage bytes, mutated and truncated valid payloads, and oversized JSON (deep nesting,
/// huge numbers, long strings, many fields): each call returns an event (or, for shadow documents, none) or
/// throws <see cref="ConnectionEventFormatException"/> with a short, printable message; never another exception,
/// never a hang, never an event with a thing name that breaks the rules.
/// </summary>
public sealed class ParserHostileInputProperties
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static readonly (string Name, Func<byte[], ConnectionEvent?> Parse)[] Parsers =
    [
        ("GenericEventParser", bytes => GenericEventParser.Parse(bytes)),
        ("LifecycleEventParser", bytes => LifecycleEventParser.Parse(bytes)),
        ("IotRuleOutputParser", bytes => IotRuleOutputParser.Parse(bytes)),
        ("ConnectionEventParser", bytes => ConnectionEventParser.Parse(bytes, new ThingNamePool())),
        ("ShadowUpdateDocumentsParser", bytes => ShadowUpdateDocumentsParser.Parse(bytes, "thing-1")),
    ];

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 400)]
    public Property EveryParser_GarbageBytes_ReturnsOrThrowsTheFormatExceptionOnly(Garbage payload) => AllParsersBehave(payload.Bytes);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 600)]
    public Property EveryParser_MutatedOrTruncatedValidPayload_ReturnsOrThrowsTheFormatExceptionOnly(Mutated payload) => AllParsersBehave(payload.Bytes);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 150)]
    public Property EveryParser_OversizedJson_ReturnsOrThrowsTheFormatExceptionOnly(Oversized payload) => AllParsersBehave(payload.Bytes);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 200)]
    public Property EveryFlatParser_ThingNameWithAControlCharacterOrOver128_IsRefusedNamingTheField(BadThingName name)
    {
        var failures = new List<string>();
        foreach (var (format, field, json) in Payloads.FlatWithThing(name.JsonEscaped))
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            foreach (var (parser, parse) in Parsers[..4])
            {
                if (parser != "ConnectionEventParser" && !parser.StartsWith(format, StringComparison.Ordinal))
                {
                    continue;
                }

                try
                {
                    parse(bytes);
                    failures.Add($"{parser} accepted {format}");
                }
                catch (ConnectionEventFormatException exception) when (exception.Field == field && IsPrintable(exception.Message))
                {
                }
                catch (Exception exception)
                {
                    failures.Add($"{parser} on {format}: {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        return (failures.Count == 0).Label(string.Join("\n", failures));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("../../etc/passwd")]
    public void FlatParsers_PathLikeThingNames_AreAllowedByTheCoreRules_AndRefusedByTheAwsRules(string thing)
    {
        // The core accepts any printable name (generic MQTT client ids); whatever builds a URL or a path from it
        // applies its own rules first (AWS: [a-zA-Z0-9:_-], see the AWS adapter tests).
        var json = Encoding.UTF8.GetBytes($$"""{"thing":{{System.Text.Json.JsonSerializer.Serialize(thing)}},"connected":false,"at":"2026-01-01T00:00:00Z"}""");

        Assert.Equal(thing, GenericEventParser.Parse(json).ThingName);
        Assert.False(AwsIotNames.IsValidThingName(thing, out var problem));
        Assert.True(IsPrintable(problem!));
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 150)]
    public async Task<Property> JsonLineReader_AnyBytesInAnyChunks_HandsOverExactlyTheModelsLines(LinesInput stream)
    {
        var lines = new List<(long Number, byte[] Line)>();
        var oversized = new List<long>();
        using var input = new ChunkedStream(stream.Bytes, stream.Chunk);

        var completed = await JsonLineReader.ReadAsync(
            input,
            (number, line) =>
            {
                lines.Add((number, line.ToArray()));
                return true;
            },
            number =>
            {
                oversized.Add(number);
                return true;
            },
            CancellationToken.None).WaitAsync(HangLimit);

        var (expectedLines, expectedOversized) = LinesInput.Model(stream.Bytes);
        var sameLines = lines.Count == expectedLines.Count
            && lines.Zip(expectedLines).All(pair => pair.First.Number == pair.Second.Number && pair.First.Line.AsSpan().SequenceEqual(pair.Second.Line));
        return (completed && sameLines && oversized.SequenceEqual(expectedOversized))
            .Label($"lines {string.Join(",", lines.Select(l => $"{l.Number}:{l.Line.Length}"))} expected {string.Join(",", expectedLines.Select(l => $"{l.Number}:{l.Line.Length}"))}; "
                + $"oversized {string.Join(",", oversized)} expected {string.Join(",", expectedOversized)}");
    }

    private static Property AllParsersBehave(byte[] bytes)
    {
        var failures = new List<string>();
        var run = Task.Run(() =>
        {
            foreach (var (name, parse) in Parsers)
            {
                try
                {
                    if (parse(bytes) is { } parsed && !ThingName.IsValid(parsed.ThingName, out var problem))
                    {
                        failures.Add($"{name} returned a thing name that {problem}");
                    }
                }
                catch (ConnectionEventFormatException exception)
                {
                    if (!IsPrintable(exception.Message) || exception.Message.Length > 400)
                    {
                        failures.Add($"{name} threw a message that is not one short printable line: {exception.Message}");
                    }
                }
                catch (Exception exception)
                {
                    failures.Add($"{name} threw {exception}");
                }
            }
        });

        if (!run.Wait(HangLimit))
        {
            failures.Add($"a parser did not return within {HangLimit.TotalSeconds} s");
        }

        return (failures.Count == 0).Label($"{string.Join("\n", failures)}\ninput ({bytes.Length} bytes): {Preview(bytes)}");
    }

    private static bool IsPrintable(string text) => !text.Any(char.IsControl);

    private static string Preview(byte[] bytes)
        => bytes.Length <= 300 ? Convert.ToHexString(bytes) + " " + Encoding.UTF8.GetString(bytes) : Encoding.UTF8.GetString(bytes, 0, 300) + "...";

    public sealed record Garbage(byte[] Bytes)
    {
        public override string ToString() => Preview(Bytes);
    }

    public sealed record Mutated(byte[] Bytes)
    {
        public override string ToString() => Preview(Bytes);
    }

    public sealed record Oversized(string Kind, byte[] Bytes)
    {
        public override string ToString() => $"{Kind}: {Preview(Bytes)}";
    }

    /// <summary>A thing name as it appears inside a JSON string: with a control character (raw or escaped) or longer than 128.</summary>
    public sealed record BadThingName(string JsonEscaped);

    public sealed record LinesInput(byte[] Bytes, int Chunk)
    {
        /// <summary>
        /// What the reader must hand over: every <c>\n</c>-separated line (the last one also without a
        /// <c>\n</c>), numbered from 1 counting blank ones; one trailing <c>\r</c> and a leading byte order mark on
        /// the first line removed; blank lines (spaces and tabs) skipped; lines over 64 KiB reported instead.
        /// </summary>
        public static (List<(long Number, byte[] Line)> Lines, List<long> Oversized) Model(byte[] bytes)
        {
            var lines = new List<(long, byte[])>();
            var oversized = new List<long>();
            var segments = Split(bytes);
            for (var i = 0; i < segments.Count; i++)
            {
                var line = segments[i].AsSpan();
                if (i == 0 && line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                {
                    line = line[3..];
                }

                if (!line.IsEmpty && line[^1] == '\r')
                {
                    line = line[..^1];
                }

                if (line.Length > JsonLineReader.MaxLineBytes)
                {
                    oversized.Add(i + 1);
                }
                else if (!line.Trim(" \t"u8).IsEmpty)
                {
                    lines.Add((i + 1, line.ToArray()));
                }
            }

            return (lines, oversized);
        }

        public override string ToString() => $"{Bytes.Length} bytes in chunks of {Chunk}";

        private static List<byte[]> Split(byte[] bytes)
        {
            var segments = new List<byte[]>();
            var start = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == '\n')
                {
                    segments.Add(bytes[start..i]);
                    start = i + 1;
                }
            }

            if (start < bytes.Length)
            {
                segments.Add(bytes[start..]);
            }

            return segments;
        }
    }

    public static class Arbitraries
    {
        private static readonly byte[] JsonAlphabet = "{}[]\":,.-+0123456789eEtrufalsn \t\r\n\\/u\"abcxyzT:Z"u8.ToArray();

        public static Arbitrary<Garbage> Garbage()
            => Gen.Choose(0, 400)
                .SelectMany(length => Gen.ArrayOf(AnyByte(), length))
                .Select(bytes => new Garbage(bytes))
                .ToArbitrary();

        public static Arbitrary<Mutated> Mutated()
            => Gen.Choose(0, Payloads.Valid.Length - 1)
                .SelectMany(seed => Gen.Choose(1, 8).SelectMany(count => Gen.Choose(0, int.MaxValue).Select(random => (seed, count, random))))
                .Select(t => new Mutated(Mutate(Encoding.UTF8.GetBytes(Payloads.Valid[t.seed]), t.count, new Random(t.random))))
                .ToArbitrary();

        public static Arbitrary<Oversized> Oversized()
            => Gen.OneOf(
                    Gen.Choose(30, 20_000).SelectMany(depth => Gen.Elements(Payloads.Valid).Select(seed => new Oversized($"nested {depth}", Payloads.DeepNesting(seed, depth)))),
                    Gen.Choose(1, 2_000).SelectMany(digits => Gen.Elements(Payloads.NumberFields).Select(field => new Oversized($"{digits}-digit {field.Name}", Payloads.HugeNumber(field, digits)))),
                    Gen.Elements(Payloads.OddNumbers).SelectMany(number => Gen.Elements(Payloads.NumberFields).Select(field => new Oversized($"{number} as {field.Name}", Payloads.WithNumber(field, number)))),
                    Gen.Choose(100, 300_000).SelectMany(length => Gen.Elements(Payloads.StringFields).Select(field => new Oversized($"{length}-char {field}", Payloads.LongString(field, length)))),
                    Gen.Choose(100, 20_000).Select(count => new Oversized($"{count} fields", Payloads.ManyFields(count))))
                .ToArbitrary();

        public static Arbitrary<BadThingName> BadThingNames()
            => Gen.OneOf(
                    Gen.Choose(129, 2_000).Select(length => new BadThingName(new string('a', length))),
                    Gen.Choose(129, 300).Select(length => new BadThingName(string.Concat(Enumerable.Repeat("\\u0062", length)))),
                    Gen.Choose(0, 0x1F).Select(c => new BadThingName($"dev\\u{c:x4}ice")),
                    Gen.Choose(0x7F, 0x9F).Select(c => new BadThingName($"dev{(char)c}ice")))
                .ToArbitrary();

        public static Arbitrary<LinesInput> LinesInputs()
        {
            var line = Gen.Frequency(
                (6, Gen.Choose(0, 80).SelectMany(length => Gen.ArrayOf(Gen.Elements(JsonAlphabet.Where(b => b != '\n').ToArray()), length))),
                (1, Gen.Elements(Array.Empty<byte>(), " \t"u8.ToArray(), "\r"u8.ToArray(), [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, (byte)'{'])),
                (1, Gen.Choose(JsonLineReader.MaxLineBytes - 3, JsonLineReader.MaxLineBytes + 3).SelectMany(length => Gen.Elements((byte)'x', (byte)'\r').Select(last => Filled(length, last)))),
                (1, Gen.Choose(JsonLineReader.MaxLineBytes - 1, JsonLineReader.MaxLineBytes + 1).Select(length => (byte[])[0xEF, 0xBB, 0xBF, .. Filled(length, (byte)'\r')])),
                (1, Gen.Choose(JsonLineReader.MaxLineBytes + 4, 300_000).Select(length => Filled(length, (byte)'y'))));
            return Gen.Choose(0, 12)
                .SelectMany(count => Gen.ArrayOf(line, count))
                .SelectMany(lines => Gen.Elements(true, false).Select(trailingNewline =>
                    lines.SelectMany((l, i) => i < lines.Length - 1 || trailingNewline ? l.Append((byte)'\n') : l).ToArray()))
                .SelectMany(bytes => Gen.Elements(1, 2, 7, 100, 4096, 65_537, 1 << 20).Select(chunk => new LinesInput(bytes, chunk)))
                .ToArbitrary();
        }

        private static byte[] Filled(int length, byte last)
        {
            var bytes = new byte[length];
            Array.Fill(bytes, (byte)'x');
            if (length > 0)
            {
                bytes[^1] = last;
            }

            return bytes;
        }

        private static Gen<byte> AnyByte()
            => Gen.Frequency((3, Gen.Elements(JsonAlphabet)), (1, Gen.Choose(0, 255).Select(b => (byte)b)));

        private static byte[] Mutate(byte[] bytes, int count, Random random)
        {
            var list = new List<byte>(bytes);
            for (var i = 0; i < count && list.Count > 0; i++)
            {
                var at = random.Next(list.Count);
                switch (random.Next(7))
                {
                    case 0:
                        list[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        list.Insert(at, JsonAlphabet[random.Next(JsonAlphabet.Length)]);
                        break;
                    case 2:
                        list.RemoveAt(at);
                        break;
                    case 3:
                        list.RemoveRange(at, list.Count - at);
                        break;
                    case 4:
                        var length = random.Next(1, Math.Min(40, list.Count - at) + 1);
                        list.InsertRange(random.Next(list.Count), list.GetRange(at, length));
                        break;
                    case 5:
                        list[at] ^= (byte)(1 << random.Next(8));
                        break;
                    default:
                        list.InsertRange(at, Encoding.UTF8.GetBytes(Payloads.Tokens[random.Next(Payloads.Tokens.Length)]));
                        break;
                }
            }

            return [.. list];
        }
    }

    /// <summary>Valid payloads of every format and the pieces hostile variants are made of.</summary>
    private static class Payloads
    {
        public static readonly string[] Valid =
        [
            """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":3,"receivedAt":"2026-01-01T00:00:01.5+09:00"}""",
            """{"thing":"t1","connected":true,"at":"2026-01-01T00:00:00.123456789Z"}""",
            """{"clientId":"t1","timestamp":1767225600451,"eventType":"disconnected","sessionIdentifier":"a4666d2a","principalIdentifier":"12345678901234567890","clientInitiatedDisconnect":false,"disconnectReason":"CONNECTION_LOST","versionNumber":3}""",
            """{"clientId":"t1","timestamp":1767225600000,"eventType":"connected","ipAddress":"192.0.2.1","versionNumber":4}""",
            """{"thingName":"t1","connected":false,"timestamp":1767225600}""",
            """{"previous":{"state":{"reported":{"connected":true,"firmware":"1.4.2"}},"metadata":{"reported":{"connected":{"timestamp":1767222600}}},"version":41},"current":{"state":{"reported":{"connected":false}},"metadata":{"reported":{"connected":{"timestamp":1767226200}}},"version":42},"timestamp":1767226200,"clientToken":"x"}""",
            """{"previous":null,"current":{"state":{"reported":{"connected":true}},"metadata":{"reported":{"connected":{"timestamp":1}}}}}""",
        ];

        public static readonly string[] Tokens =
        [
            "true", "false", "null", "1e400", "-1", "99999999999999999999999", "\"\\u0000\"", "\"\\ud800\"", "{", "}", "[", "]", ",", ":",
            "\"connected\"", "\"thing\"", "\"current\"", "\"state\"", "\"reported\"", "\"metadata\"", "\"timestamp\"", "\"\\\"", "\u00e9", "\ud83d\ude00",
        ];

        public static readonly (string Name, string Template)[] NumberFields =
        [
            ("lifecycle timestamp", """{"clientId":"t1","timestamp":#,"eventType":"disconnected"}"""),
            ("lifecycle versionNumber", """{"clientId":"t1","timestamp":1767225600000,"eventType":"disconnected","versionNumber":#}"""),
            ("rule timestamp", """{"thingName":"t1","connected":false,"timestamp":#}"""),
            ("generic version", """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":#}"""),
            ("shadow metadata timestamp", """{"current":{"state":{"reported":{"connected":false}},"metadata":{"reported":{"connected":{"timestamp":#}}}}}"""),
            ("shadow version", """{"current":{"state":{"reported":{"connected":false}},"metadata":{"reported":{"connected":{"timestamp":1}}},"version":#}}"""),
        ];

        public static readonly string[] OddNumbers = ["1e400", "-1e400", "1E+2", "-0", "0.5", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "253402300800000", "253402300799999", "00", "01", "1.", ".5", "0x10", "NaN", "Infinity", "1_000"];

        public static readonly string[] StringFields = ["thing", "at", "receivedAt", "clientId", "eventType", "unknown", "escaped thing", "escaped at"];

        public static byte[] DeepNesting(string seed, int depth)
        {
            var open = depth % 2 == 0 ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) : new string('[', depth);
            var close = depth % 3 == 0 ? string.Empty : depth % 2 == 0 ? new string('}', depth) : new string(']', depth);
            return Encoding.UTF8.GetBytes(seed[..^1] + ",\"deep\":" + open + "1" + close + "}");
        }

        public static byte[] HugeNumber((string Name, string Template) field, int digits)
            => WithNumber(field, (digits % 2 == 0 ? "-" : string.Empty) + new string('9', digits));

        public static byte[] WithNumber((string Name, string Template) field, string number)
            => Encoding.UTF8.GetBytes(field.Template.Replace("#", number, StringComparison.Ordinal));

        public static byte[] LongString(string field, int length)
        {
            var text = new string('x', length);
            var escaped = string.Concat(Enumerable.Repeat("\\u0041", Math.Min(length, 50_000)));
            return Encoding.UTF8.GetBytes(field switch
            {
                "thing" => $$"""{"thing":"{{text}}","connected":false,"at":"2026-01-01T00:00:00Z"}""",
                "escaped thing" => $$"""{"thing":"{{escaped}}","connected":false,"at":"2026-01-01T00:00:00Z"}""",
                "at" => $$"""{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00.{{new string('1', length)}}Z"}""",
                "escaped at" => $$"""{"thing":"t1","connected":false,"at":"{{escaped}}"}""",
                "receivedAt" => $$"""{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","receivedAt":"{{text}}"}""",
                "clientId" => $$"""{"clientId":"{{text}}","timestamp":1,"eventType":"disconnected"}""",
                "eventType" => $$"""{"clientId":"t1","timestamp":1,"eventType":"{{text}}"}""",
                _ => $$"""{"unknown":"{{text}}","thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"}""",
            });
        }

        public static byte[] ManyFields(int count)
            => Encoding.UTF8.GetBytes("{" + string.Concat(Enumerable.Range(0, count).Select(i => $"\"f{i}\":{i},")) + "\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}");

        /// <summary>The thing name in each flat format: (format name prefix of its parser, the field, the payload).</summary>
        public static IEnumerable<(string Format, string Field, string Json)> FlatWithThing(string escapedName) =>
        [
            ("Generic", "thing", $$"""{"thing":"{{escapedName}}","connected":false,"at":"2026-01-01T00:00:00Z"}"""),
            ("Lifecycle", "clientId", $$"""{"clientId":"{{escapedName}}","timestamp":1767225600000,"eventType":"disconnected"}"""),
            ("IotRuleOutput", "thingName", $$"""{"thingName":"{{escapedName}}","connected":false,"timestamp":1767225600}"""),
        ];
    }
}
