namespace GracefulDisconnect.Testing.Aws;

/// <summary>A message the fake SQS accepted through <c>SendMessage</c>.</summary>
/// <param name="QueueUrl">The queue.</param>
/// <param name="MessageId">The id it was given.</param>
/// <param name="Body">The body.</param>
/// <param name="DelaySeconds">The requested delay.</param>
/// <param name="SentAt">When it arrived, on the fake's clock.</param>
public sealed record SentMessage(string QueueUrl, string MessageId, string Body, int DelaySeconds, DateTimeOffset SentAt);
