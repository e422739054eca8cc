namespace GracefulDisconnect.Webhooks.Tests.Support;

/// <summary>Waits, in short real-time steps and for at most a few seconds, until a condition holds (something on another thread happened).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }
}
