using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests;

/// <summary>Bounded polling for work done by background loops: never a fixed sleep, never longer than 5 s.</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(condition, () => what);

    public static async Task TrueAsync(Func<bool> condition, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Limit)
            {
                Assert.Fail($"Timed out after {Limit.TotalSeconds} s waiting for {what()}.");
            }

            await Task.Delay(2);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Limit)
            {
                Assert.Fail($"Timed out after {Limit.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Moves fake time on by <paramref name="step"/> at a time, letting the loops react, until the condition holds.</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Limit)
            {
                Assert.Fail($"Timed out after {Limit.TotalSeconds} s (fake time {time.GetUtcNow():o}) waiting for {what}.");
            }

            time.Advance(step);
            await Task.Delay(3);
        }
    }
}
