namespace GracefulDisconnect.Cli.Sweep;

/// <summary>What <c>sweep</c> was asked, validated before any request is made.</summary>
internal sealed record SweepInput(
    TimeSpan Grace,
    string Query,
    int PageSize,
    string? TopicArn,
    string? StorePath,
    string? Region,
    string? IotEndpoint,
    string? SnsEndpoint)
{
    public bool Notify => TopicArn is not null;
}
