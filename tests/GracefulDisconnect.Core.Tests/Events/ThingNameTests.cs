namespace GracefulDisconnect.Tests.Events;

public class ThingNameTests
{
    [Theory]
    [InlineData("t1")]
    [InlineData("a")]
    [InlineData("sensor:floor-2_room_7")]
    [InlineData("温度センサー")]
    [InlineData("with space")]
    public void IsValid_OrdinaryName_ReturnsTrueWithoutProblem(string name)
    {
        Assert.True(ThingName.IsValid(name, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void IsValid_MaxLength_ReturnsTrue()
    {
        Assert.True(ThingName.IsValid(new string('x', 128), out _));
    }

    [Fact]
    public void IsValid_Empty_SaysEmpty()
    {
        Assert.False(ThingName.IsValid(string.Empty, out var problem));
        Assert.Equal("must not be empty", problem);
    }

    [Fact]
    public void IsValid_Null_SaysEmpty()
    {
        Assert.False(ThingName.IsValid((string?)null, out var problem));
        Assert.Equal("must not be empty", problem);
    }

    [Fact]
    public void IsValid_OverMaxLength_SaysLengthAndLimit()
    {
        Assert.False(ThingName.IsValid(new string('x', 129), out var problem));
        Assert.Equal("must be at most 128 characters, not 129", problem);
    }

    [Theory]
    [InlineData("t\0")]
    [InlineData("t\n1")]
    [InlineData("\u007f")]
    [InlineData("a\u0085b")]
    public void IsValid_ControlCharacter_SaysSo(string name)
    {
        Assert.False(ThingName.IsValid(name, out var problem));
        Assert.Equal("must not contain control characters", problem);
    }
}
