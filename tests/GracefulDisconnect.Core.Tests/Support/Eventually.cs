using System.Diagnostics;

namespace GracefulDisconnect.Tests.Support;

/// <summary>
/// Waits, boundedly, for work the in-memory scheduler runs on the thread pool after a timer fires.
/// Never a fixed sleep: the condition is polled every 10 ms for at most 5 s.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    public static async Task TrueAsync(Func<bool> condition, string? because = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Limit)
            {
                Assert.Fail($"Condition not met within {Limit.TotalSeconds} s{(because is null ? string.Empty : ": " + because)}.");
            }

            await Task.Delay(Interval);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string? because = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Limit)
            {
                Assert.Fail($"Condition not met within {Limit.TotalSeconds} s{(because is null ? string.Empty : ": " + because)}.");
            }

            await Task.Delay(Interval);
        }
    }
}
