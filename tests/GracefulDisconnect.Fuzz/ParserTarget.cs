using GracefulDisconnect.Aws;

namespace GracefulDisconnect.Fuzz;

/// <summary>
/// The fuzzing target: one input through both parsers. A parser may return an event (or, for shadow documents,
/// none) or throw <see cref="ConnectionEventFormatException"/>; any other exception escapes and is a crash.
/// So is an event whose thing name breaks the rules, which would mean a name the parser should have refused.
/// </summary>
internal static class ParserTarget
{
    private const string TopicThing = "fuzz-thing";

    public static void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            Check(ConnectionEventParser.Parse(input));
        }
        catch (ConnectionEventFormatException)
        {
        }

        try
        {
            if (ShadowUpdateDocumentsParser.Parse(input, TopicThing) is { } update)
            {
                Check(update);
            }
        }
        catch (ConnectionEventFormatException)
        {
        }
    }

    private static void Check(ConnectionEvent parsed)
    {
        if (!ThingName.IsValid(parsed.ThingName, out var problem))
        {
            throw new InvalidOperationException($"A parser returned a thing name that {problem}.");
        }
    }
}
