namespace GracefulDisconnect.Cli.Check;

/// <summary>What <c>check</c> was asked, validated before any request is made.</summary>
internal sealed record CheckInput(
    string ThingName,
    TimeSpan Grace,
    DateTimeOffset? DisconnectedAt,
    string? ShadowName,
    string? TopicArn,
    string? Region,
    string? IotEndpoint,
    string? SnsEndpoint,
    CheckSource Source = CheckSource.Shadow)
{
    public bool Notify => TopicArn is not null;
}
