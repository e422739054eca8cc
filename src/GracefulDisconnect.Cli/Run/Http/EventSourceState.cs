namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// Whether the event source feeds the engine right now, for the status page and <c>/healthz</c>: while an MQTT source
/// is disconnected from its broker, the engine is blind to every device behind it, and "every device is online"
/// would be a lie by omission.
/// </summary>
/// <param name="Name">What the source is (<c>mqtt://broker:1883</c>, a file, standard input), never with credentials.</param>
/// <param name="Connected">Whether it is connected (a file or a pipe always is while it is read).</param>
/// <param name="Since">Since when it is connected or not, when the source knows.</param>
internal sealed record EventSourceState(string Name, bool Connected, DateTimeOffset? Since);
