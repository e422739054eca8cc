namespace GracefulDisconnect.PostgreSql.Tests;

internal static class Eventually
{
    /// <summary>Waits (real time) until the condition holds, failing with what was awaited after 20 seconds.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
