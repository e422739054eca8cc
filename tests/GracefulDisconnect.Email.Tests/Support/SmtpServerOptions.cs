namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>What the loopback server offers in its EHLO reply and which credentials it accepts.</summary>
public sealed class SmtpServerOptions
{
    /// <summary>When set (with <see cref="Password"/>), AUTH is required before MAIL FROM and only these credentials pass.</summary>
    public string? UserName { get; init; }

    /// <summary>The password that goes with <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>The SASL mechanisms advertised. Default PLAIN and LOGIN.</summary>
    public IReadOnlyList<string> AuthMechanisms { get; init; } = ["PLAIN", "LOGIN"];

    /// <summary>Advertise 8BITMIME. Default true.</summary>
    public bool EightBitMime { get; init; } = true;

    /// <summary>Advertise SMTPUTF8. Default true.</summary>
    public bool SmtpUtf8 { get; init; } = true;

    /// <summary>A careless server that quotes the AUTH data it refused in its 535 reply (to prove the password never escapes).</summary>
    public bool EchoCredentialsOnAuthFailure { get; init; }
}
