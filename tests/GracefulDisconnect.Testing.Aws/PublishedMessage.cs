namespace GracefulDisconnect.Testing.Aws;

/// <summary>A message the fake SNS accepted.</summary>
/// <param name="TopicArn">The topic.</param>
/// <param name="MessageId">The id the fake answered with.</param>
/// <param name="Form">The decoded form parameters.</param>
public sealed record PublishedMessage(string TopicArn, string MessageId, IReadOnlyDictionary<string, string> Form)
{
    /// <summary>The message attributes, by name (String values).</summary>
    public IReadOnlyDictionary<string, string> Attributes
    {
        get
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; Form.TryGetValue($"MessageAttributes.entry.{i}.Name", out var name); i++)
            {
                attributes[name] = Form.TryGetValue($"MessageAttributes.entry.{i}.Value.StringValue", out var value) ? value : string.Empty;
            }

            return attributes;
        }
    }
}
