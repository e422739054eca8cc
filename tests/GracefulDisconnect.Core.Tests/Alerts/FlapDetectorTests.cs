using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public class FlapDetectorTests
{
    private static readonly FlapThreshold ThreePerHour = new(3, TimeSpan.FromHours(1));

    [Fact]
    public void OnDisconnect_OneThreshold_FlapsOncePerDeviceAtTheNthDisconnect()
    {
        var detector = new FlapDetector(ThreePerHour);

        Assert.Equal(0, detector.OnDisconnect("a", Instants.Noon));
        Assert.Equal(0, detector.OnDisconnect("b", Instants.Noon));
        Assert.Equal(0, detector.OnDisconnect("a", Instants.Noon.AddMinutes(1)));
        Assert.Equal(3, detector.OnDisconnect("a", Instants.Noon.AddMinutes(2)));
        Assert.Equal(0, detector.OnDisconnect("a", Instants.Noon.AddMinutes(3)));
        Assert.Equal(0, detector.OnDisconnect("b", Instants.Noon.AddMinutes(1)));
        Assert.Equal(2, detector.TrackedThings);
    }

    [Fact]
    public void OnDisconnect_PerDeviceThresholds_EachDeviceUsesItsOwn()
    {
        var detector = new FlapDetector(thing => thing.StartsWith("fast", StringComparison.Ordinal)
            ? new FlapThreshold(2, TimeSpan.FromMinutes(1))
            : new FlapThreshold(4, TimeSpan.FromHours(1)));

        Assert.Equal(0, detector.OnDisconnect("fast-1", Instants.Noon));
        Assert.Equal(2, detector.OnDisconnect("fast-1", Instants.Noon.AddSeconds(30)));

        // The same two disconnects are not a flap under the slow threshold, and the fast device's 1-minute
        // window does not reach back to its first disconnect.
        Assert.Equal(0, detector.OnDisconnect("slow-1", Instants.Noon));
        Assert.Equal(0, detector.OnDisconnect("slow-1", Instants.Noon.AddSeconds(30)));
        Assert.Equal(0, detector.OnDisconnect("slow-1", Instants.Noon.AddMinutes(30)));
        Assert.Equal(4, detector.OnDisconnect("slow-1", Instants.Noon.AddMinutes(59)));
    }

    [Fact]
    public void OnDisconnect_NullThreshold_DeviceIsNotWatchedNorRemembered()
    {
        var detector = new FlapDetector(thing => thing == "watched" ? ThreePerHour : null);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, detector.OnDisconnect("ignored", Instants.Noon.AddSeconds(i)));
        }

        Assert.Equal(0, detector.TrackedThings);
        detector.OnDisconnect("watched", Instants.Noon);
        Assert.Equal(1, detector.TrackedThings);
    }

    [Fact]
    public void OnDisconnect_AfterManyDisconnects_SweepForgetsDevicesQuietForAWindow()
    {
        var detector = new FlapDetector(ThreePerHour);

        // 4,095 devices disconnect once at noon; the 4,096th call (a sweep) is two hours later.
        for (var i = 0; i < 4095; i++)
        {
            detector.OnDisconnect($"d{i}", Instants.Noon.AddMilliseconds(i));
        }

        Assert.Equal(4095, detector.TrackedThings);
        detector.OnDisconnect("late", Instants.Noon.AddHours(2));

        Assert.Equal(1, detector.TrackedThings);
    }

    [Fact]
    public void OnDisconnect_WithAClock_ADisconnectDatedInTheFutureDoesNotForgetAnEpisode()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Instants.Noon.AddMinutes(3));
        var detector = new FlapDetector(_ => new FlapThreshold(3, TimeSpan.FromHours(1)), time);
        detector.OnDisconnect("flapper", Instants.Noon);
        detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(1));
        Assert.Equal(3, detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(2)));
        for (var i = 0; i < 4092; i++)
        {
            detector.OnDisconnect($"d{i}", Instants.Noon);
        }

        // The sweeping call carries a wrong clock, a year ahead; the sweep goes by the real one.
        detector.OnDisconnect("wrong-clock", Instants.Noon.AddYears(1));

        Assert.Equal(4094, detector.TrackedThings);
        Assert.Equal(0, detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(4)));
    }

    [Fact]
    public void OnDisconnect_Sweep_KeepsDevicesInsideTheirWindowAndTheirEpisode()
    {
        var detector = new FlapDetector(ThreePerHour);
        detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(70));
        detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(71));
        Assert.Equal(3, detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(72)));

        // 4,093 more calls; the last one, at 02:00, sweeps: the flapper's latest (01:12) is inside its window.
        for (var i = 0; i < 4092; i++)
        {
            detector.OnDisconnect($"d{i}", Instants.Noon);
        }

        detector.OnDisconnect("now", Instants.Noon.AddHours(2));
        Assert.Equal(2, detector.TrackedThings);

        // Still the same episode: no second flapping.
        Assert.Equal(0, detector.OnDisconnect("flapper", Instants.Noon.AddMinutes(121)));
    }

    [Fact]
    public void OnDisconnect_ForgottenDevice_StartsAfreshLikeAfterAQuietWindow()
    {
        var detector = new FlapDetector(ThreePerHour);
        detector.OnDisconnect("x", Instants.Noon);
        detector.OnDisconnect("x", Instants.Noon.AddMinutes(1));
        Assert.Equal(3, detector.OnDisconnect("x", Instants.Noon.AddMinutes(2)));
        for (var i = 0; i < 4093; i++)
        {
            detector.OnDisconnect($"d{i}", Instants.Noon.AddHours(3));
        }

        Assert.Equal(4093, detector.TrackedThings);
        Assert.Equal(0, detector.OnDisconnect("x", Instants.Noon.AddHours(3)));
        Assert.Equal(0, detector.OnDisconnect("x", Instants.Noon.AddHours(3).AddMinutes(1)));
        Assert.Equal(3, detector.OnDisconnect("x", Instants.Noon.AddHours(3).AddMinutes(2)));
    }

    [Fact]
    public void Constructor_InvalidThreshold_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new FlapDetector(new FlapThreshold(1, TimeSpan.FromHours(1))));

        Assert.Equal("threshold", exception.ParamName);
        Assert.StartsWith("a flap threshold counts 2 to 10000 disconnects, not 1.", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new FlapDetector((Func<string, FlapThreshold?>)null!));
        Assert.Throws<ArgumentNullException>(() => new FlapDetector(ThreePerHour).OnDisconnect(null!, Instants.Noon));
    }

    [Fact]
    public async Task OnDisconnect_ManyThreads_OneFlappingPerDeviceAndEpisode()
    {
        var detector = new FlapDetector(new FlapThreshold(5, TimeSpan.FromMinutes(10)));
        const int Devices = 64;
        const int Threads = 4;
        var flaps = new int[Devices];

        // Every thread sends every device the same 200 disconnects (a second apart, so one episode each),
        // in its own order: duplicates across threads, late ones inside the window.
        var tasks = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (var second = 0; second < 200; second += 10)
            {
                var batch = Enumerable.Range(second, 10).SelectMany(s => Enumerable.Range(0, Devices).Select(d => (d, s))).OrderBy(_ => random.Next()).ToList();
                foreach (var (device, s) in batch)
                {
                    if (detector.OnDisconnect($"dev{device}", Instants.Noon.AddSeconds(s)) > 0)
                    {
                        Interlocked.Increment(ref flaps[device]);
                    }
                }
            }
        }));
        await Task.WhenAll(tasks);

        Assert.All(flaps, count => Assert.Equal(1, count));
        Assert.Equal(Devices, detector.TrackedThings);
    }
}
