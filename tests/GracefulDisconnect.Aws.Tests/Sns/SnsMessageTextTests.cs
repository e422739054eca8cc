using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sns;

public sealed class SnsMessageTextTests
{
    [Property]
    public bool Subject_AnyText_IsUnder100CharactersWithoutControlCharacters(NonNull<string> text)
        => SnsMessageText.Subject(text.Get) is not { } subject
            || (subject.Length < 100 && !subject.Any(char.IsControl) && subject.Length > 0 && !char.IsWhiteSpace(subject[0]));

    [Property]
    public bool Message_AnyText_FitsTheLimitAndKeepsAPrefix(NonNull<string> text, PositiveInt extra)
    {
        var max = 80 + (extra.Get % 200);
        var result = SnsMessageText.Message(text.Get, max);
        var fits = Encoding.UTF8.GetByteCount(result) <= max;
        return fits && (result == text.Get || (result.EndsWith(SnsMessageText.TruncationMarker, StringComparison.Ordinal) && text.Get.StartsWith(result[..^SnsMessageText.TruncationMarker.Length], StringComparison.Ordinal)));
    }

    [Fact]
    public void Subject_OnlyWhitespaceAndControls_IsOmitted() => Assert.Null(SnsMessageText.Subject(" \r\n\t "));

    [Fact]
    public void Message_SurrogatePairAtTheCut_IsNotSplit()
    {
        var text = new string('a', 20) + string.Concat(Enumerable.Repeat("😀", 50));
        var budget = 20 + 6 + Encoding.UTF8.GetByteCount(SnsMessageText.TruncationMarker);

        var result = SnsMessageText.Message(text, budget);

        Assert.Equal(new string('a', 20) + "😀" + SnsMessageText.TruncationMarker, result);
    }

    [Theory]
    [InlineData("pump-7@1767226200", "pump-7@1767226200")]
    [InlineData("a b@1", "hash")]
    public void DeduplicationId_KeepsValidIdsAndHashesOthers(string outageId, string expected)
    {
        var id = SnsFifoIds.DeduplicationId(outageId);

        if (expected == "hash")
        {
            Assert.Matches("^[0-9a-f]{64}$", id);
        }
        else
        {
            Assert.Equal(expected, id);
        }
    }
}
