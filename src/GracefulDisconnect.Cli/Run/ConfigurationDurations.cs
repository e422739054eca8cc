using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Lets configuration write durations the way the command line does (<c>5m</c>, <c>90s</c>, <c>1d</c>): the binder only
/// reads <c>hh:mm:ss</c>. Walks a section next to the options type it binds to, and for each <see cref="TimeSpan"/>
/// property (or dictionary of them, such as <c>GracePeriodOverrides</c>) rewrites a value <see cref="DurationText"/>
/// reads into the binder's form. Only keys whose property is a duration are touched, so a payload or a template that
/// happens to read <c>5m</c> is left alone. A value that is no duration is a problem naming its key.
/// </summary>
internal static class ConfigurationDurations
{
    /// <summary>The rewritten values (key → <c>d.hh:mm:ss.fffffff</c>) and the problems found, one line each.</summary>
    public static (Dictionary<string, string?> Rewritten, List<string> Problems) Normalize(IConfiguration configuration, IEnumerable<(string Section, Type Options)> sections)
    {
        var rewritten = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var (section, options) in sections)
        {
            Walk(configuration.GetSection(section), options, rewritten, problems);
        }

        return (rewritten, problems);
    }

    private static void Walk(IConfigurationSection section, Type type, Dictionary<string, string?> rewritten, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                // Not an option of this type (another section nested under it, such as GracefulDisconnect:Mqtt).
                continue;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType == typeof(TimeSpan))
            {
                Rewrite(child, rewritten, problems);
            }
            else if (DictionaryValueType(propertyType) is { } valueType && (Nullable.GetUnderlyingType(valueType) ?? valueType) == typeof(TimeSpan))
            {
                foreach (var entry in child.GetChildren())
                {
                    Rewrite(entry, rewritten, problems);
                }
            }
            else if (ListItemType(propertyType) is { } itemType && IsOptionsClass(itemType))
            {
                foreach (var item in child.GetChildren())
                {
                    Walk(item, itemType, rewritten, problems);
                }
            }
            else if (IsOptionsClass(propertyType))
            {
                Walk(child, propertyType, rewritten, problems);
            }
        }
    }

    private static void Rewrite(IConfigurationSection value, Dictionary<string, string?> rewritten, List<string> problems)
    {
        if (value.Value is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (DurationText.TryParse(text.Trim(), out var duration))
        {
            rewritten[value.Path] = duration.ToString("c", CultureInfo.InvariantCulture);
        }
        else
        {
            problems.Add($"{value.Path}: '{text}' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.");
        }
    }

    private static bool IsOptionsClass(Type type) => type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? DictionaryValueType(Type type)
        => GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;

    private static Type? ListItemType(Type type)
        => DictionaryValueType(type) is null && GenericInterface(type, typeof(IList<>)) is { } list ? list.GetGenericArguments()[0] : null;

    private static Type? GenericInterface(Type type, Type definition)
        => type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition);
}
