using System.Diagnostics;

namespace GracefulDisconnect.Cli.Demo;

/// <summary>
/// Shows each re-check the engine decides, the way a user's own tooling would see it: through the engine's spans
/// (<see cref="GracefulDisconnectActivitySource"/>). Only the demo's own: every span the engine starts under the
/// demo's root activity shares its trace, and a listener hears the whole process.
/// </summary>
internal sealed class RecheckObserver : IDisposable
{
    private const string DemoSourceName = "GracefulDisconnect.Demo";
    private static readonly ActivitySource DemoSource = new(DemoSourceName);
    private readonly ActivityListener _listener;
    private readonly Activity? _root;

    public RecheckObserver(DemoConsole console, DemoTally tally, TimeProvider time)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is GracefulDisconnectActivitySource.Name or DemoSourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == GracefulDisconnectActivitySource.Recheck
                    && _root is { } root && activity.TraceId == root.TraceId
                    && activity.GetTagItem(GracefulDisconnectActivitySource.ThingTag) is string thing
                    && activity.GetTagItem(GracefulDisconnectActivitySource.ResultTag) is string result
                    && result != "retry")
                {
                    tally.Decided(result);
                    console.Decision(time.GetUtcNow(), thing, result);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);

        // Current for the rest of the demo's flow: the engine's passes, called from it, become its children.
        _root = DemoSource.StartActivity("demo");
    }

    public void Dispose()
    {
        _root?.Dispose();
        _listener.Dispose();
    }
}
