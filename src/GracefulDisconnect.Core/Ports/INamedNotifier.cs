namespace GracefulDisconnect;

/// <summary>
/// A notifier with a name of its own. The outbox keeps one message per notification and channel name, so the name
/// must stay the same across restarts and configuration changes that keep the channel (a decorator passes its inner
/// notifier's name on). A notifier without one is named after its type (<c>-2</c>, <c>-3</c>, ... for more of a type).
/// </summary>
public interface INamedNotifier : INotifier
{
    /// <summary>The channel's name, for example <c>slack</c> or <c>night-shift</c>.</summary>
    string Name { get; }
}
