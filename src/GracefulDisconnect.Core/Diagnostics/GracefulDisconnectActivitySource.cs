using System.Diagnostics;
using System.Reflection;

namespace GracefulDisconnect;

/// <summary>
/// The <c>GracefulDisconnect</c> activity source: one span per batch of events recorded, per pass over due work and
/// per device re-checked in it, per read of the state source, per store commit and per delivery attempt to a channel.
/// </summary>
/// <remarks>
/// With no listener (OpenTelemetry: <c>AddSource("GracefulDisconnect")</c>) starting a span returns
/// <see langword="null"/> and the engine sets no tags, so tracing costs nothing until someone listens.
/// </remarks>
public static class GracefulDisconnectActivitySource
{
    /// <summary>The source name to listen to (OpenTelemetry: <c>AddSource("GracefulDisconnect")</c>).</summary>
    public const string Name = "GracefulDisconnect";

    /// <summary>A batch of connection events recorded in one commit (<see cref="DeviceEngine.RecordAsync"/>).</summary>
    public const string Record = "gracefuldisconnect.record";

    /// <summary>One pass over the devices whose re-check or reminder is due (<see cref="DeviceEngine.RunDueAsync"/>).</summary>
    public const string Due = "gracefuldisconnect.due";

    /// <summary>The state source read for one device at re-check time.</summary>
    public const string Read = "gracefuldisconnect.read";

    /// <summary>One device's due re-check decided.</summary>
    public const string Recheck = "gracefuldisconnect.recheck";

    /// <summary>One commit of device records and outbox messages to the store.</summary>
    public const string Commit = "gracefuldisconnect.store.commit";

    /// <summary>One attempt to deliver a notification to one channel.</summary>
    public const string Deliver = "gracefuldisconnect.deliver";

    /// <summary>The thing name (on read, re-check and delivery spans).</summary>
    public const string ThingTag = "gracefuldisconnect.thing";

    /// <summary>The re-check's result as reports name it: <c>notify</c>, <c>skip-reconnected</c>, <c>retry</c>...</summary>
    public const string ResultTag = "gracefuldisconnect.result";

    /// <summary>How many events a record span carries, or devices a due pass claimed.</summary>
    public const string CountTag = "gracefuldisconnect.count";

    /// <summary>How many devices a record span's events belong to, or a commit writes.</summary>
    public const string DevicesTag = "gracefuldisconnect.devices";

    /// <summary>How many devices of a commit had changed in another process (their step is redone).</summary>
    public const string ConflictsTag = "gracefuldisconnect.conflicts";

    /// <summary>The channel's name as the outbox knows it.</summary>
    public const string ChannelTag = "gracefuldisconnect.channel";

    /// <summary>The notification's kind as reports name it: <c>notify</c> (offline), <c>recovered</c>, <c>reminder</c>, <c>flapping</c>, <c>digest</c>.</summary>
    public const string KindTag = "gracefuldisconnect.kind";

    /// <summary>
    /// The notification's id (the outage id for an offline notification) on a delivery span, and the ids a re-check
    /// produced (comma-separated) on its span: deliveries run in their own traces, and this is what ties them together.
    /// </summary>
    public const string NotificationTag = "gracefuldisconnect.notification";

    /// <summary>Which attempt of this notification on this channel a delivery span is (1 for the first).</summary>
    public const string AttemptTag = "gracefuldisconnect.attempt";

    /// <summary>The source itself; version is the assembly's informational version.</summary>
    internal static ActivitySource Source { get; } = new(
        Name,
        typeof(GracefulDisconnectActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
}
