namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// The credentials the fakes accept. Made up (the AWS documentation's example shapes); the fakes know the
/// secrets so they can recompute every signature independently of the client.
/// </summary>
public static class TestAwsCredentials
{
    /// <summary>Access key of temporary credentials: requests must carry <see cref="SessionToken"/>.</summary>
    public const string AccessKeyId = "ASIAGDTESTEXAMPLE0001";

    /// <summary>The secret of <see cref="AccessKeyId"/>.</summary>
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

    /// <summary>The session token of <see cref="AccessKeyId"/>.</summary>
    public const string SessionToken = "IQoJb3JpZ2luX2VjEGDTESTSESSIONTOKEN//////////wEaDmFwLW5vcnRoZWFzdC0x";

    /// <summary>Access key of long-term credentials (no session token).</summary>
    public const string LongTermAccessKeyId = "AKIAGDTESTEXAMPLE0002";

    /// <summary>The secret of <see cref="LongTermAccessKeyId"/>.</summary>
    public const string LongTermSecretAccessKey = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

    /// <summary>The secrets by access key id, and the session token each must present (null: none).</summary>
    public static IReadOnlyDictionary<string, (string Secret, string? Token)> Known { get; } = new Dictionary<string, (string, string?)>
    {
        [AccessKeyId] = (SecretAccessKey, SessionToken),
        [LongTermAccessKeyId] = (LongTermSecretAccessKey, null),
    };
}
