using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public class FlapStateTests
{
    private static readonly FlapThreshold ThreePerHour = new(3, TimeSpan.FromHours(1));

    private static long Min(double minutes) => Instants.Noon.AddMinutes(minutes).UtcTicks;

    /// <summary>Feeds disconnects (minutes after noon) in order; returns what each call returned.</summary>
    private static int[] Feed(ref FlapState state, FlapThreshold threshold, params double[] minutes)
    {
        var results = new int[minutes.Length];
        for (var i = 0; i < minutes.Length; i++)
        {
            results[i] = state.OnDisconnect(Min(minutes[i]), threshold);
        }

        return results;
    }

    [Fact]
    public void OnDisconnect_NewState_IsNotFlappingAndHasNoLatest()
    {
        var state = default(FlapState);

        Assert.False(state.Flapping);
        Assert.Equal(long.MinValue, state.LatestTicks);
    }

    [Fact]
    public void OnDisconnect_NthDistinctDisconnectInsideTheWindow_StartsTheEpisodeExactlyThere()
    {
        var state = default(FlapState);

        Assert.Equal([0, 0, 3], Feed(ref state, ThreePerHour, 0, 10, 20));
        Assert.True(state.Flapping);
        Assert.Equal(Min(20), state.LatestTicks);
    }

    [Fact]
    public void OnDisconnect_OneShortOfTheThreshold_DoesNotFlap()
    {
        var state = default(FlapState);

        Assert.Equal([0, 0], Feed(ref state, ThreePerHour, 0, 59));
        Assert.False(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_Duplicates_CountOnce()
    {
        var state = default(FlapState);

        Assert.Equal([0, 0, 0, 0, 0], Feed(ref state, ThreePerHour, 0, 0, 10, 10, 0));
        Assert.False(state.Flapping);
        Assert.Equal([3], Feed(ref state, ThreePerHour, 20));
    }

    [Fact]
    public void OnDisconnect_OldestExactlyOneWindowBeforeTheLatest_IsOutsideTheWindow()
    {
        var state = default(FlapState);

        // (latest - window, latest] is half-open: 0 is outside the window of 60, so only 30 and 60 count.
        Assert.Equal([0, 0, 0], Feed(ref state, ThreePerHour, 0, 30, 60));
        Assert.False(state.Flapping);

        // One tick inside the window does count.
        var inside = default(FlapState);
        Assert.Equal(0, inside.OnDisconnect(Min(0) + 1, ThreePerHour));
        Assert.Equal([0, 3], Feed(ref inside, ThreePerHour, 30, 60));
    }

    [Fact]
    public void OnDisconnect_SlidingWindow_FlapsWhenTheLatestThreeFitEvenIfEarlierOnesDropped()
    {
        var state = default(FlapState);

        // 0, 50, 100 never fit one window (0 has left it by 100), but 50, 100, 105 do.
        Assert.Equal([0, 0, 0, 3], Feed(ref state, ThreePerHour, 0, 50, 100, 105));

        // The window slides with the latest: at 110, 50 is exactly one window back and has left it.
        var later = default(FlapState);
        Assert.Equal([0, 0, 0, 0], Feed(ref later, ThreePerHour, 0, 50, 100, 110));
    }

    [Fact]
    public void OnDisconnect_MoreDisconnectsDuringTheEpisode_DoNotFlapAgain()
    {
        var state = default(FlapState);

        var results = Feed(ref state, ThreePerHour, 0, 10, 20, 30, 40, 50, 100, 150, 200, 259);

        Assert.Equal([0, 0, 3, 0, 0, 0, 0, 0, 0, 0], results);
        Assert.True(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_AfterAQuietWindow_TheNextEpisodeFlapsAgain()
    {
        var state = default(FlapState);
        Feed(ref state, ThreePerHour, 0, 10, 20);

        // 80 is exactly one window after 20: quiet. The episode ends and nothing before 80 counts any more.
        Assert.Equal([0], Feed(ref state, ThreePerHour, 80));
        Assert.False(state.Flapping);
        Assert.Equal([0, 3], Feed(ref state, ThreePerHour, 81, 82));
        Assert.True(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_GapsJustUnderAWindow_NeverRearm()
    {
        var state = default(FlapState);
        Feed(ref state, ThreePerHour, 0, 1, 2);

        // Sparse disconnects, each 59 minutes after the previous one: never a quiet window, so no new episode
        // even though the window holds fewer than three of them.
        var results = Feed(ref state, ThreePerHour, 61, 120, 179, 238, 239, 240);

        Assert.All(results, r => Assert.Equal(0, r));
        Assert.True(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_LateButInsideTheWindowOfTheLatest_Counts()
    {
        var state = default(FlapState);

        // 30 arrives after 50: 50 - 30 < 1h, so it counts and makes three.
        Assert.Equal([0, 0, 3], Feed(ref state, ThreePerHour, 40, 50, 30));
        Assert.Equal(Min(50), state.LatestTicks);
    }

    [Fact]
    public void OnDisconnect_TooLate_IsIgnored()
    {
        var state = default(FlapState);

        // -10 is exactly one window before 50 (outside), -20 further out: neither counts.
        Assert.Equal([0, 0, 0, 0], Feed(ref state, ThreePerHour, 40, 50, -10, -20));
        Assert.False(state.Flapping);
        Assert.Equal(Min(50), state.LatestTicks);
        Assert.Equal([3], Feed(ref state, ThreePerHour, 45));
    }

    [Fact]
    public void OnDisconnect_LateDuplicateOfACountedDisconnect_IsIgnored()
    {
        var state = default(FlapState);

        Assert.Equal([0, 0, 0, 0], Feed(ref state, ThreePerHour, 40, 50, 40, 50));
        Assert.False(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_LateDisconnectAfterAQuietWindow_CountsOnlyInTheNewWindow()
    {
        var state = default(FlapState);
        Feed(ref state, ThreePerHour, 0, 10, 20);

        // 200 is quiet; then 150 and 160 arrive late (inside 200's window): the new episode starts at the third.
        Assert.Equal([0, 0, 3], Feed(ref state, ThreePerHour, 200, 150, 160));
    }

    [Fact]
    public void OnDisconnect_MillisecondsApart_AreDistinct()
    {
        var state = default(FlapState);
        var threshold = new FlapThreshold(2, TimeSpan.FromSeconds(1));

        Assert.Equal(0, state.OnDisconnect(Instants.Noon.Ms(100).UtcTicks, threshold));
        Assert.Equal(2, state.OnDisconnect(Instants.Noon.Ms(999).UtcTicks, threshold));
    }

    [Theory]
    [InlineData(0, 451)]
    [InlineData(451, 0)]
    public void OnDisconnect_WholeSecondAndMillisecondsOfThatSecond_CountOnce(int firstMs, int secondMs)
    {
        // The same disconnect from a shadow update (seconds) and a lifecycle event (milliseconds).
        var state = default(FlapState);
        var threshold = new FlapThreshold(2, TimeSpan.FromMinutes(1));

        Assert.Equal(0, state.OnDisconnect(Instants.Noon.Ms(firstMs).UtcTicks, threshold));
        Assert.Equal(0, state.OnDisconnect(Instants.Noon.Ms(secondMs).UtcTicks, threshold));
        Assert.Equal(2, state.OnDisconnect(Instants.Noon.AddSeconds(1).UtcTicks, threshold));
    }

    [Fact]
    public void OnDisconnect_ThousandsWhileFlapping_MemoryStaysBoundedAndNoSecondEpisode()
    {
        var state = default(FlapState);
        var threshold = new FlapThreshold(5, TimeSpan.FromMinutes(10));
        var episodes = 0;
        var random = new Random(7);

        // 20,000 disconnects a second apart, with a late one (inside the window) every so often.
        for (var i = 0; i < 20_000; i++)
        {
            var at = Instants.Noon.AddSeconds(i).UtcTicks;
            episodes += state.OnDisconnect(at, threshold) > 0 ? 1 : 0;
            if (i % 7 == 0)
            {
                episodes += state.OnDisconnect(at - TimeSpan.FromSeconds(random.Next(1, 599)).Ticks - 1, threshold) > 0 ? 1 : 0;
            }

            Assert.True(RecentLength(state) <= threshold.Disconnects);
        }

        Assert.Equal(1, episodes);
        Assert.True(state.Flapping);
    }

    [Fact]
    public void OnDisconnect_LargeThreshold_GrowsItsBufferOnlyAsNeeded()
    {
        var state = default(FlapState);
        var threshold = new FlapThreshold(10_000, TimeSpan.FromDays(1));

        for (var i = 0; i < 100; i++)
        {
            state.OnDisconnect(Instants.Noon.AddSeconds(i).UtcTicks, threshold);
        }

        Assert.InRange(RecentLength(state), 100, 256);
        Assert.False(state.Flapping);
    }

    // The length of the private buffer of distinct recent disconnects: what the memory bound is about.
    private static int RecentLength(FlapState state)
        => ((long[]?)typeof(FlapState).GetField("_recent", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(state))?.Length ?? 0;
}
