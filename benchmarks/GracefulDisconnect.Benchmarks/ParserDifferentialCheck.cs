using System.Text;
using GracefulDisconnect.Aws;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// <c>--verify-parse [count]</c>: the parsers' fast path (<see cref="FlatJsonScanner"/>) against the reader path
/// alone, on synthetic lines, hand-picked edge cases and randomly mutated lines. Every input must give the same
/// event, or the same exception type and message. Exit code 1 on the first few differences.
/// </summary>
internal static class ParserDifferentialCheck
{
    private static readonly string[] EdgeCases =
    [
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """ { "thing" : "t1" , "connected" : true , "at" : "2026-01-01T00:00:00.5+02:00" , "version" : null } """,
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":-0}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":01}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":1.0}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":1e3}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":99999999999999999999}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":"3"}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z",}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"} x""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"}{}""",
        """{"thing":"t1","thing":"t2","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"d\u0065vice","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"dévice","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"a\u0001b","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"t1","connected":"false","at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"t1","connected":false,"at":"2026-13-01T00:00:00Z"}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01 00:00:00"}""",
        """{"thing":"t1","connected":false,"at":"Thu, 01 Jan 2026 00:00:00 GMT"}""",
        """{"thing":"t1","connected":false,"at":1767225600}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","receivedAt":null}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","extra":{"nested":[1,2,{"a":null}]}}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","extra":[]}""",
        """{"thing":"t1","connected":false}""",
        """{}""",
        """[]""",
        """{"current":{},"previous":{}}""",
        """{"x":1,"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        """{"eventType":"disconnected","clientId":"c1","timestamp":1767225600123}""",
        """{"clientId":"c1","timestamp":1767225600123,"eventType":"Disconnected"}""",
        """{"clientId":"c1","timestamp":-1,"eventType":"disconnected"}""",
        """{"clientId":"c1","timestamp":999999999999999999,"eventType":"disconnected"}""",
        """{"clientId":"c1","timestamp":1767225600123,"eventType":"connected","versionNumber":7,"receivedAt":"2026-01-01T00:00:01Z"}""",
        """{"thingName":"r1","connected":true,"timestamp":1767225600}""",
        """{"thingName":"r1","connected":true,"timestamp":1767225600.5}""",
        """{"thingName":"r1","connected":true,"timestamp":1767225600,"version":5,"receivedAt":"2026-01-01T00:00:01.123456789Z"}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z" /* c */}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","\u0076ersion":4}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","del":"a\u007fb"}""",
        """{"thing":"t1","connected":tru,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"t1","connected":nullx,"at":"2026-01-01T00:00:00Z"}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","n":-}""",
        """{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","n":-01}""",
        """{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z"}""",
        "{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"\t}\r",
        "{\"thing\":\"t1\u007f\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}",
        "{\"thing\":\"" + new string('x', 128) + "\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}",
        "{\"thing\":\"" + new string('x', 129) + "\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}",
    ];

    private static readonly byte[] Alphabet = Encoding.UTF8.GetBytes("{}[]\":,\\ \t\n0123456789-+.eEtrufalsnx/\u007f\u0001é");

    public static int Run(int count)
    {
        var lines = new List<byte[]>(EdgeCases.Select(Encoding.UTF8.GetBytes));
        var synthetic = SyntheticFleet.Generate(2_000).AsSpan();
        while (!synthetic.IsEmpty)
        {
            var end = synthetic.IndexOf((byte)'\n');
            lines.Add(synthetic[..end].ToArray());
            synthetic = synthetic[(end + 1)..];
        }

        var random = new Random(7);
        var seeds = lines.ToArray();
        for (var n = 0; n < count; n++)
        {
            lines.Add(Mutate(seeds[random.Next(seeds.Length)], random));
        }

        var differences = 0;
        var fastSucceeded = 0;
        foreach (var line in lines)
        {
            differences += Compare(line, "any", l => ConnectionEventParser.Parse(l), l => ConnectionEventParser.ParseWithReader(l), ref fastSucceeded);
            differences += Compare(line, "any+pool", l => ConnectionEventParser.Parse(l, new ThingNamePool()), l => ConnectionEventParser.ParseWithReader(l, new ThingNamePool()), ref fastSucceeded);
            differences += Compare(line, "generic", l => GenericEventParser.Parse(l), l => GenericEventParser.ParseWithReader(l), ref fastSucceeded);
            differences += Compare(line, "lifecycle", l => LifecycleEventParser.Parse(l), l => LifecycleEventParser.ParseWithReader(l), ref fastSucceeded);
            differences += Compare(line, "rule", l => IotRuleOutputParser.Parse(l), l => IotRuleOutputParser.ParseWithReader(l), ref fastSucceeded);
            if (differences > 10)
            {
                break;
            }
        }

        Console.WriteLine($"verify-parse: {lines.Count:N0} inputs x 5 parsers, {fastSucceeded:N0} parsed successfully by both paths, {differences} difference(s)");
        return differences == 0 ? 0 : 1;
    }

    private delegate ConnectionEvent Parser(ReadOnlySpan<byte> line);

    private static int Compare(byte[] line, string parser, Parser candidate, Parser reference, ref int succeeded)
    {
        var actual = Outcome(line, candidate);
        var expected = Outcome(line, reference);
        if (actual == expected)
        {
            succeeded += actual.StartsWith("ok ", StringComparison.Ordinal) ? 1 : 0;
            return 0;
        }

        Console.WriteLine($"DIFFERENCE ({parser}) for {Encoding.UTF8.GetString(line)}\n  fast path: {actual}\n  reader:    {expected}");
        return 1;
    }

    private static string Outcome(byte[] line, Parser parser)
    {
        try
        {
            var e = parser(line);
            return $"ok {e.ThingName}|{e.Connected}|{e.At.UtcTicks}|{e.At.Offset}|{e.Version}|{e.ReceivedAt?.UtcTicks}|{e.ReceivedAt?.Offset}";
        }
        catch (Exception exception)
        {
            return $"{exception.GetType().Name}: {exception.Message} [{(exception as ConnectionEventFormatException)?.Field}]";
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 3 when bytes.Count > 0:
                    // Duplicate a stretch, which often repeats a member.
                    var length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    if (bytes.Count > 0 && char.IsAsciiDigit((char)bytes[at]))
                    {
                        bytes[at] = (byte)('0' + random.Next(10));
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
