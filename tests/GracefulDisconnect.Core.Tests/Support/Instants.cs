namespace GracefulDisconnect.Tests.Support;

/// <summary>Fixed instants the tests are written against, so that no test depends on the wall clock.</summary>
internal static class Instants
{
    /// <summary>2026-01-01T12:00:00Z, a whole second.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset Ms(this DateTimeOffset value, int milliseconds) => value.AddMilliseconds(milliseconds);
}
