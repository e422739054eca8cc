using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Shadow;

public sealed class AwsIotNamesTests
{
    private const string ThingAlphabet = "abcxyzABCXYZ0189:_-";

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsValidThingName_AllowedCharactersUpTo128_IsAccepted(AllowedName name)
        => AwsIotNames.IsValidThingName(name.Value, out var problem) && problem is null;

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsValidThingName_AnyOtherCharacter_IsRefused(AllowedName name, char other, NonNegativeInt position)
    {
        if (char.IsAsciiLetterOrDigit(other) || other is ':' or '_' or '-')
        {
            return true;
        }

        var at = position.Get % (name.Value.Length + 1);
        var candidate = name.Value.Insert(at, other.ToString());
        return candidate.Length > 128 || (!AwsIotNames.IsValidThingName(candidate, out var problem) && problem!.Contains($"position {at + 1}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("$default", true)]
    [InlineData("conn:v2_x-y", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    public void IsValidShadowName_AllowsDollar(string name, bool valid) => Assert.Equal(valid, AwsIotNames.IsValidShadowName(name, out _));

    [Fact]
    public void Lengths_AreTheAwsLimits()
    {
        Assert.True(AwsIotNames.IsValidThingName(new string('a', 128), out _));
        Assert.False(AwsIotNames.IsValidThingName(new string('a', 129), out _));
        Assert.True(AwsIotNames.IsValidShadowName(new string('a', 64), out _));
        Assert.False(AwsIotNames.IsValidShadowName(new string('a', 65), out _));
        Assert.False(AwsIotNames.IsValidThingName("$aws", out _));
    }

    public sealed record AllowedName(string Value);

    public static class Arbitraries
    {
        public static Arbitrary<AllowedName> Names()
            => Gen.Choose(1, 128)
                .SelectMany(length => Gen.ArrayOf(Gen.Elements(ThingAlphabet.ToCharArray()), length))
                .Select(chars => new AllowedName(new string(chars)))
                .ToArbitrary();
    }
}
