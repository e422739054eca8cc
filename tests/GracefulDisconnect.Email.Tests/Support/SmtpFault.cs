namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>What the loopback server does wrong in one session (see <see cref="LoopbackSmtpServer.FailNextSession"/>).</summary>
public enum SmtpFault
{
    /// <summary>Behaves.</summary>
    None,

    /// <summary>Greets with <c>421</c> and closes: the server is overloaded or shutting down.</summary>
    RejectGreeting421,

    /// <summary>Refuses every recipient with <c>550 5.1.1</c>.</summary>
    RejectRecipient550,

    /// <summary>Refuses the credentials with <c>535 5.7.8</c>, whatever they are.</summary>
    RejectAuth535,

    /// <summary>Accepts the connection and never greets: the client's timeout has to end it.</summary>
    HangOnGreeting,

    /// <summary>Takes the whole message and never answers the final dot.</summary>
    HangAfterData,

    /// <summary>Resets the connection after the first line of the message.</summary>
    DropDuringData,

    /// <summary>Takes the whole message and closes the connection without a reply (a clean hang-up, not a reset).</summary>
    HangUpAfterData,

    /// <summary>Takes the message and refuses it with <c>554 5.7.1</c>.</summary>
    RejectData554,
}
