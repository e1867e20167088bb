using System.Text;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Tests.Influx;

/// <summary>The exact lines the gateway writes: schema, escaping, numbers and precision.</summary>
public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset s_midnight = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    private static Reading Reading(double value, Quality quality, string device = "gd-01", long sequence = 42) =>
        new(new ChannelId("site-01", device, "lel"), "gas.combustible", "%LEL", value, quality, s_midnight.AddMilliseconds(250), s_midnight, sequence);

    private static string Line(LineProtocol protocol, Reading reading)
    {
        var builder = new StringBuilder();
        protocol.Append(builder, reading);
        return builder.ToString();
    }

    [Fact]
    public void Append_GoodReading_TagsValueQualitySequenceAndMillisecondTime()
    {
        Assert.Equal(
            "reading,site=site-01,sector=fuel_stations,device=gd-01,channel=lel,quantity=gas.combustible,unit=%LEL value=12.5,quality=\"good\",seq=42i 1795910400250",
            Line(new LineProtocol("fuel_stations"), Reading(12.5, Quality.Good)));
    }

    [Fact]
    public void Append_ValueNeedingAllDigits_RoundTripsExactly()
    {
        var line = Line(new LineProtocol("fuel_stations"), Reading(0.1 + 0.2, Quality.Good, sequence: -3));

        Assert.Contains(" value=0.30000000000000004,", line, StringComparison.Ordinal);
        Assert.Contains(",seq=-3i ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_NotFiniteValue_LeavesValueOutAndKeepsQuality()
    {
        var line = Line(new LineProtocol("fuel_stations"), Reading(double.NaN, Quality.Bad(QualityReason.CommFailure)));

        Assert.EndsWith(" quality=\"bad:CommFailure\",seq=42i 1795910400250", line, StringComparison.Ordinal);
        Assert.DoesNotContain("value=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_TagWithSpaceCommaAndEquals_Escaped()
    {
        var line = Line(new LineProtocol("fuel_stations"), Reading(1, Quality.Good, device: "pump 1,a=b"));

        Assert.Contains(",device=pump\\ 1\\,a\\=b,", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s", "1795910400")]
    [InlineData("ms", "1795910400250")]
    [InlineData("us", "1795910400250000")]
    [InlineData("ns", "1795910400250000000")]
    public void Append_Precision_TimestampInThatUnit(string precision, string expected)
    {
        Assert.EndsWith($"seq=42i {expected}", Line(new LineProtocol("fuel_stations", precision), Reading(1, Quality.Good)), StringComparison.Ordinal);
    }
}
