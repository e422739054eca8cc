using System.Globalization;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Test-only hook for the fault-injection tests: when the environment variable
/// <c>GRACEFULDISCONNECT_TEST_NOTIFY_DELAY_MS</c> holds a positive number of milliseconds, every notification
/// waits that long after its channel accepted it and before the engine records it as sent. Notifying a whole
/// fleet otherwise takes a few milliseconds, too short for a test to SIGKILL the process between writing a
/// notification and confirming it, which is the moment the outbox and the file notifier's reconciliation exist for.
/// Unset (always, outside those tests), nothing changes.
/// </summary>
internal static class NotifyDelayHook
{
    public const string Variable = "GRACEFULDISCONNECT_TEST_NOTIFY_DELAY_MS";

    public static INotifier Apply(INotifier notifier)
        => int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? new Delayed(notifier, TimeSpan.FromMilliseconds(milliseconds))
            : notifier;

    private sealed class Delayed(INotifier inner, TimeSpan delay) : INamedNotifier
    {
        // The outbox knows the channel by the inner notifier's name: a restart without the hook delivers what is left.
        public string Name => inner is INamedNotifier named ? named.Name : inner.GetType().Name;

        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            await inner.NotifyAsync(notification, cancellationToken);
            await Task.Delay(delay, cancellationToken);
        }
    }
}
