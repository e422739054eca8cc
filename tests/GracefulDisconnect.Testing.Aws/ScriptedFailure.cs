namespace GracefulDisconnect.Testing.Aws;

/// <summary>An error a fake answers instead of its normal response, once per queued failure.</summary>
/// <param name="Status">The HTTP status, for example 429.</param>
/// <param name="Code">The AWS error code, for example <c>ThrottlingException</c>.</param>
/// <param name="Message">The error message.</param>
/// <param name="RetryAfterSeconds">A <c>Retry-After</c> header to send, if any.</param>
public sealed record ScriptedFailure(int Status, string Code, string Message, int? RetryAfterSeconds = null);
