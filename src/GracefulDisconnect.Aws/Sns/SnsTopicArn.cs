namespace GracefulDisconnect.Aws;

/// <summary>The parts of an SNS topic ARN this package needs: <c>arn:{partition}:sns:{region}:{account}:{name}</c>.</summary>
/// <param name="Region">The topic's region.</param>
/// <param name="Name">The topic name.</param>
internal sealed record SnsTopicArn(string Region, string Name)
{
    /// <summary>Whether the topic is FIFO (its name ends in <c>.fifo</c>).</summary>
    public bool IsFifo => Name.EndsWith(".fifo", StringComparison.Ordinal);

    public static bool TryParse(string? arn, out SnsTopicArn? topic, out string? problem)
    {
        topic = null;
        var parts = arn?.Split(':');
        if (parts is not { Length: 6 } || parts[0] != "arn" || !parts[1].StartsWith("aws", StringComparison.Ordinal) || parts[2] != "sns")
        {
            problem = "is not an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:device-offline";
            return false;
        }

        if (parts[3].Length == 0 || !parts[3].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            problem = "has no valid region";
            return false;
        }

        if (parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit))
        {
            problem = "has no 12-digit account id";
            return false;
        }

        var name = parts[5];
        var baseName = name.EndsWith(".fifo", StringComparison.Ordinal) ? name[..^5] : name;
        if (baseName.Length is 0 or > 256 || !baseName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problem = "has no valid topic name (1-256 letters, digits, '-' or '_', optionally ending in .fifo)";
            return false;
        }

        topic = new SnsTopicArn(parts[3], name);
        problem = null;
        return true;
    }

    public static SnsTopicArn Parse(string arn)
        => TryParse(arn, out var topic, out var problem) ? topic! : throw new ArgumentException($"TopicArn {problem}.", nameof(arn));
}
