using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace GracefulDisconnect.Aws;

/// <summary>
/// The SDK's default credential chain, resolved on every signature rather than once at start-up: the
/// resolver caches the provider it found (and notices changed environment variables and profile files),
/// and refreshing providers (assume-role, SSO, container, instance metadata) renew temporary credentials
/// before they expire. Holding the <see cref="ImmutableCredentials"/> would sign with expired keys after an hour.
/// </summary>
internal sealed class DefaultChainCredentials : AWSCredentials, IDisposable
{
    private readonly DefaultAWSCredentialsIdentityResolver _resolver = new();

    public override ImmutableCredentials GetCredentials() => _resolver.ResolveIdentity(null).GetCredentials();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var provider = await _resolver.ResolveIdentityAsync(null, CancellationToken.None).ConfigureAwait(false);
        return await provider.GetCredentialsAsync().ConfigureAwait(false);
    }

    public void Dispose() => _resolver.Dispose();
}
