using System.Diagnostics;

namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>Bounded polling for work done by background loops and a real broker: never a fixed sleep.</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, Func<string> what, TimeSpan? limit = null)
    {
        var bound = limit ?? Limit;
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > bound)
            {
                Assert.Fail($"Timed out after {bound.TotalSeconds} s waiting for {what()}.");
            }

            await Task.Delay(10);
        }
    }
}
