using System.Text;

namespace GracefulDisconnect;

/// <summary>
/// Templates use named placeholders; <c>{{</c> and <c>}}</c> are literal braces. Each kind of notification has its own
/// (see <see cref="PlaceholdersOf"/>):
/// <list type="bullet">
/// <item>offline: <c>{thing}</c>, <c>{offlineSince}</c>, <c>{offlineFor}</c>, <c>{grace}</c>, <c>{decidedAt}</c>, <c>{outageId}</c>;</item>
/// <item>recovered: those of offline and <c>{recoveredAt}</c> (<c>{offlineFor}</c> is how long it was offline);</item>
/// <item>reminder: those of offline and <c>{reminder}</c> (1 for the first);</item>
/// <item>flapping: <c>{thing}</c>, <c>{disconnectedAt}</c> (the disconnect that made it flap), <c>{disconnects}</c>, <c>{window}</c>, <c>{decidedAt}</c>, <c>{outageId}</c>;</item>
/// <item>digest: <c>{group}</c>, <c>{offlineSince}</c> (the earliest) and <c>{lastOfflineSince}</c> (the latest), <c>{count}</c>, <c>{things}</c> (the first names, then "and K more"), <c>{window}</c>, <c>{decidedAt}</c>, <c>{outageId}</c>, <c>{grace}</c>.</item>
/// </list>
/// </summary>
public static class NotificationTemplate
{
    private static readonly string[][] ByKind =
    [
        ["thing", "offlineSince", "offlineFor", "grace", "decidedAt", "outageId"],
        ["thing", "offlineSince", "offlineFor", "grace", "decidedAt", "outageId", "recoveredAt"],
        ["thing", "offlineSince", "offlineFor", "grace", "decidedAt", "outageId", "reminder"],
        ["thing", "disconnectedAt", "disconnects", "window", "decidedAt", "outageId"],
        ["group", "offlineSince", "count", "things", "window", "decidedAt", "outageId", "grace", "lastOfflineSince"],
    ];

    /// <summary>The placeholders of the "and K more" text of a digest.</summary>
    internal static IReadOnlyList<string> DigestMorePlaceholders { get; } = ["more"];

    /// <summary>The placeholders an offline template may use, in the order the formatter supplies them.</summary>
    public static IReadOnlyList<string> Placeholders => ByKind[0];

    /// <summary>The placeholders a template of <paramref name="kind"/> may use, in the order the formatter supplies them.</summary>
    /// <param name="kind">The kind of notification.</param>
    /// <returns>The placeholder names, without braces.</returns>
    public static IReadOnlyList<string> PlaceholdersOf(NotificationKind kind)
        => (uint)kind < (uint)ByKind.Length ? ByKind[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, null);

    /// <summary>Checks an offline template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="problem">What is wrong, when it is refused.</param>
    /// <returns>Whether the template is valid.</returns>
    public static bool IsValid(string? template, out string? problem) => IsValid(template, NotificationKind.Offline, out problem);

    /// <summary>Checks a template of a kind: it may use only the placeholders of that kind.</summary>
    /// <param name="template">The template.</param>
    /// <param name="kind">The kind of notification it renders.</param>
    /// <param name="problem">What is wrong, when it is refused.</param>
    /// <returns>Whether the template is valid.</returns>
    public static bool IsValid(string? template, NotificationKind kind, out string? problem)
        => IsValid(template, PlaceholdersOf(kind), out problem);

    internal static bool IsValid(string? template, IReadOnlyList<string> placeholders, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            problem = "must not be empty";
            return false;
        }

        try
        {
            _ = ToCompositeFormat(template, placeholders);
            problem = null;
            return true;
        }
        catch (FormatException exception)
        {
            problem = exception.Message;
            return false;
        }
    }

    internal static string ToCompositeFormat(string template) => ToCompositeFormat(template, Placeholders);

    internal static string ToCompositeFormat(string template, IReadOnlyList<string> placeholders)
    {
        var builder = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                builder.Append(c).Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                throw new FormatException($"unmatched '}}' at position {i}");
            }

            if (c != '{')
            {
                builder.Append(c);
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            if (end < 0)
            {
                throw new FormatException($"unclosed '{{' at position {i}");
            }

            var name = template.AsSpan(i + 1, end - i - 1);
            var index = IndexOf(placeholders, name);
            if (index < 0)
            {
                throw new FormatException($"unknown placeholder '{{{name}}}'; use one of {{{string.Join("}, {", placeholders)}}}");
            }

            builder.Append('{').Append(index).Append('}');
            i = end;
        }

        return builder.ToString();
    }

    private static int IndexOf(IReadOnlyList<string> placeholders, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < placeholders.Count; i++)
        {
            if (name.Equals(placeholders[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
