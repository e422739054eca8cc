using System.Text;

namespace GracefulDisconnect.Webhooks.Tests.Signed;

public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_767_226_500);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"t1@1767226200","kind":"notify","message":"温室"}""");

    [Fact]
    public void Compute_MatchesAnIndependentHmacOfTimestampDotBody()
    {
        var signature = WebhookSignature.Compute(Secret, 1_767_226_500, Body);

        Assert.Equal(WebhookNotifierTests.IndependentSignature(Secret, "1767226500", Body), signature);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
    }

    [Fact]
    public void Compute_KnownVector()
    {
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac 'key-of-sixteen!!'
        Assert.Equal(
            "sha256=b98171b7a1a6eb95a0d7d5039a5799dda6f7a0bcb05170bdff741e68f62150fc",
            WebhookSignature.Compute("key-of-sixteen!!", 1_700_000_000, "{}"u8));
    }

    [Fact]
    public void Verify_GoodSignature_IsValid()
        => Assert.Equal(WebhookSignatureResult.Valid, Verify("1767226500", Sign(1_767_226_500), Body));

    [Fact]
    public void Verify_UppercaseHexAndSurroundingSpace_IsValid()
        => Assert.Equal(WebhookSignatureResult.Valid, Verify(" 1767226500 ", "sha256=" + Sign(1_767_226_500)[7..].ToUpperInvariant() + " ", Body));

    [Fact]
    public void Verify_TamperedBody_IsAMismatch()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 1;

        Assert.Equal(WebhookSignatureResult.Mismatch, Verify("1767226500", Sign(1_767_226_500), tampered));
    }

    [Fact]
    public void Verify_WrongSecret_IsAMismatch()
        => Assert.Equal(
            WebhookSignatureResult.Mismatch,
            WebhookSignature.Verify("another-secret-of-32-characters!", "1767226500", Sign(1_767_226_500), Body, Now));

    [Fact]
    public void Verify_TimestampChangedAfterSigning_IsAMismatch()
        => Assert.Equal(WebhookSignatureResult.Mismatch, Verify("1767226501", Sign(1_767_226_500), Body));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Verify_TimestampOutsideTheTolerance_IsStale(int offsetSeconds)
    {
        var timestamp = 1_767_226_500 + offsetSeconds;

        Assert.Equal(WebhookSignatureResult.StaleTimestamp, Verify(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), Sign(timestamp), Body));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_TimestampAtTheEdgeOfTheTolerance_IsValid(int offsetSeconds)
    {
        var timestamp = 1_767_226_500 + offsetSeconds;

        Assert.Equal(WebhookSignatureResult.Valid, Verify(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), Sign(timestamp), Body));
    }

    [Fact]
    public void Verify_CustomTolerance_IsHonoured()
        => Assert.Equal(
            WebhookSignatureResult.StaleTimestamp,
            WebhookSignature.Verify(Secret, "1767226440", Sign(1_767_226_440), Body, Now, TimeSpan.FromSeconds(30)));

    [Theory]
    [InlineData(null, WebhookSignatureResult.MissingTimestamp)]
    [InlineData("", WebhookSignatureResult.MissingTimestamp)]
    [InlineData("17672265OO", WebhookSignatureResult.MalformedTimestamp)]
    [InlineData("-1767226500", WebhookSignatureResult.MalformedTimestamp)]
    [InlineData("1767226500.0", WebhookSignatureResult.MalformedTimestamp)]
    [InlineData("99999999999999999999", WebhookSignatureResult.MalformedTimestamp)]
    public void Verify_BadTimestampHeader_SaysWhat(string? timestamp, WebhookSignatureResult expected)
        => Assert.Equal(expected, Verify(timestamp, Sign(1_767_226_500), Body));

    [Theory]
    [InlineData(null, WebhookSignatureResult.MissingSignature)]
    [InlineData(" ", WebhookSignatureResult.MissingSignature)]
    [InlineData("sha1=0123", WebhookSignatureResult.MalformedSignature)]
    [InlineData("sha256=xyz", WebhookSignatureResult.MalformedSignature)]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", WebhookSignatureResult.MalformedSignature)]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", WebhookSignatureResult.Mismatch)]
    public void Verify_BadSignatureHeader_SaysWhat(string? signature, WebhookSignatureResult expected)
        => Assert.Equal(expected, Verify("1767226500", signature, Body));

    private static string Sign(long timestamp) => WebhookSignature.Compute(Secret, timestamp, Body);

    private static WebhookSignatureResult Verify(string? timestamp, string? signature, byte[] body)
        => WebhookSignature.Verify(Secret, timestamp, signature, body, Now);
}
