using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Tests;

public sealed class ChannelIdTests
{
    [Fact]
    public void Equals_SameNamesDifferentInstances_AreEqualWithSameHash()
    {
        var a = new ChannelId("s", "d", "c");
        var b = new ChannelId("s", "d", "c");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("s2", "d", "c")]
    [InlineData("s", "d2", "c")]
    [InlineData("s", "d", "c2")]
    public void Equals_AnyPartDiffers_NotEqual(string site, string device, string channel) =>
        Assert.NotEqual(new ChannelId("s", "d", "c"), new ChannelId(site, device, channel));

    [Fact]
    public void ToString_IsSlashSeparatedPath() => Assert.Equal("site-1/gd-01/lel", new ChannelId("site-1", "gd-01", "lel").ToString());

    [Fact]
    public void Constructor_BlankPart_Throws() => Assert.Throws<ArgumentException>(() => new ChannelId("s", " ", "c"));
}
