namespace GracefulDisconnect.Aws;

/// <summary>What <see cref="SqsRecheckConsumer.HandleMessageAsync"/> did with a message. In every case the host deletes the message.</summary>
public enum SqsMessageAction
{
    /// <summary>The re-check was due and ran (see <see cref="SqsMessageResult.Outcome"/>); if it asked for a retry, a new message was sent.</summary>
    Rechecked,

    /// <summary>Not due yet: the trigger was sent back to the queue with the remaining delay (at most 15 minutes).</summary>
    Deferred,

    /// <summary>A connect event: nothing to re-check, the next re-check reads the current state anyway.</summary>
    Ignored,
}
