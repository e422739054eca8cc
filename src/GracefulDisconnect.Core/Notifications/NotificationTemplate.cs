using System.Text;

namespace GracefulDisconnect;

/// <summary>
/// Templates use named placeholders, <c>{thing}</c>, <c>{offlineSince}</c>, <c>{offlineFor}</c>,
/// <c>{grace}</c>, <c>{decidedAt}</c> and <c>{outageId}</c>; <c>{{</c> and <c>}}</c> are literal braces.
/// </summary>
public static class NotificationTemplate
{
    /// <summary>The placeholders a template may use, in the order the formatter supplies them.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["thing", "offlineSince", "offlineFor", "grace", "decidedAt", "outageId"];

    /// <summary>Checks a template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="problem">What is wrong, when it is refused.</param>
    /// <returns>Whether the template is valid.</returns>
    public static bool IsValid(string? template, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            problem = "must not be empty";
            return false;
        }

        try
        {
            _ = ToCompositeFormat(template);
            problem = null;
            return true;
        }
        catch (FormatException exception)
        {
            problem = exception.Message;
            return false;
        }
    }

    internal static string ToCompositeFormat(string template)
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
            var index = IndexOf(name);
            if (index < 0)
            {
                throw new FormatException($"unknown placeholder '{{{name}}}'; use one of {{{string.Join("}, {", Placeholders)}}}");
            }

            builder.Append('{').Append(index).Append('}');
            i = end;
        }

        return builder.ToString();
    }

    private static int IndexOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Placeholders.Count; i++)
        {
            if (name.Equals(Placeholders[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
