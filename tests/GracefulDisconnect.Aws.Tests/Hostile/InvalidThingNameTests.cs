using Amazon.Runtime;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Hostile;

/// <summary>
/// A thing name that is not a valid AWS IoT name (path separators, dots, percent signs, control characters,
/// over 128 characters, anything outside <c>[a-zA-Z0-9:_-]</c>) never reaches a URL: the shadow reader refuses
/// it before any request, and says why without repeating the name.
/// </summary>
public sealed class InvalidThingNameTests : IAsyncLifetime
{
    private FakeIotDataPlane _fake = null!;
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeIotDataPlane.StartNewAsync();
        _provider = AwsTestHost.Build(builder => builder.AddAwsIotShadowReader(options =>
        {
            options.Endpoint = _fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            AwsTestHost.FastRetries(options);
        }));
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public async Task<Property> ShadowReader_InvalidName_IsRefusedBeforeAnyRequest(InvalidName name)
    {
        var reader = _provider.GetRequiredService<IShadowReader>();
        var requests = _fake.Requests.Count;

        var error = await Record.ExceptionAsync(() => reader.ReadAsync(name.Value).AsTask());

        return (error is ArgumentException
                && _fake.Requests.Count == requests
                && !error.Message.Any(char.IsControl)
                && (name.Value.Length < 3 || !error.Message.Contains(name.Value, StringComparison.Ordinal)))
            .Label($"{error?.GetType().Name}: {error?.Message}; {_fake.Requests.Count - requests} request(s)");
    }

    [Theory]
    [InlineData("../../../things/other/shadow")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("thing%2Fother")]
    [InlineData("thing?name=x")]
    [InlineData("thing#x")]
    [InlineData("bad\u001b[31mname")]
    [InlineData("line\nbreak")]
    [InlineData("caf\u00e9")]
    public async Task ShadowReader_PathLikeOrControlName_IsRefusedBeforeAnyRequest(string thing)
    {
        var reader = _provider.GetRequiredService<IShadowReader>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadAsync(thing).AsTask());

        Assert.Empty(_fake.Requests);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    public sealed record InvalidName(string Value)
    {
        public override string ToString() => string.Concat(Value.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    public static class Arbitraries
    {
        private const string Allowed = "abcXYZ019:_-";

        public static Arbitrary<InvalidName> Names()
        {
            var valid = Gen.Choose(0, 40).SelectMany(length => Gen.ArrayOf(Gen.Elements(Allowed.ToCharArray()), length)).Select(chars => new string(chars));
            var bad = Gen.OneOf(
                Gen.Elements("/", "\\", "..", "%", "?", "#", " ", "$", ".", "@", "\u00e9", "\u2028", "\ud83d\ude00", "\ud800"),
                Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString()),
                Gen.Choose(0x7F, 0x9F).Select(c => ((char)c).ToString()));
            var withBad = valid.SelectMany(prefix => bad.SelectMany(b => valid.Select(suffix => prefix + b + suffix)));
            var tooLong = Gen.Choose(129, 1000).Select(length => new string('a', length));
            return Gen.Frequency((5, withBad), (1, tooLong), (1, Gen.Constant(string.Empty))).Select(value => new InvalidName(value)).ToArbitrary();
        }
    }
}
