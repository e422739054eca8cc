namespace GracefulDisconnect.Tests.Events;

public class ThingNamePoolTests
{
    [Fact]
    public void Get_SameNameTwice_ReturnsSameInstance()
    {
        var pool = new ThingNamePool();

        var first = pool.Get("t1".AsSpan());
        var second = pool.Get(new string(['t', '1']).AsSpan());

        Assert.Equal("t1", first);
        Assert.Same(first, second);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Get_DistinctNames_AddsEach()
    {
        var pool = new ThingNamePool();

        var a = pool.Get("a");
        var b = pool.Get("b");
        var upperA = pool.Get("A");

        Assert.Equal(["a", "b", "A"], new[] { a, b, upperA });
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void Count_NewPool_IsZero()
    {
        Assert.Equal(0, new ThingNamePool().Count);
    }
}
