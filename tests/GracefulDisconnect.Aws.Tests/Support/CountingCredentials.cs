using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;

namespace GracefulDisconnect.Aws.Tests;

/// <summary>Test credentials that count how often the signer asks for them: once per signed attempt.</summary>
internal sealed class CountingCredentials(string accessKey = TestAwsCredentials.AccessKeyId, string secret = TestAwsCredentials.SecretAccessKey, string? token = TestAwsCredentials.SessionToken)
    : AWSCredentials
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override ImmutableCredentials GetCredentials()
    {
        Interlocked.Increment(ref _calls);
        return new ImmutableCredentials(accessKey, secret, token);
    }

    public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());
}
