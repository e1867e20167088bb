using System.Buffers;
using System.Text;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;

namespace SensorGateway.Edge.Tests.Mqtt;

public sealed class MqttJsonReadingDecoderTests
{
    private const string Topic = "s1/atg-01";
    private static readonly DateTimeOffset s_received = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
    private static readonly ChannelId s_level = new("s1", "atg-01", "level");
    private static readonly ChannelId s_water = new("s1", "atg-01", "water");

    private static readonly SiteDefinition s_site = new("s1", "Site", Core.Sites.Sectors.Find("fuel_stations")!,
    [
        new DeviceDefinition("atg-01", "ATG", "tank 1", null, new MqttDeviceAddress(Topic), TimeSpan.FromSeconds(1),
        [
            new ChannelDefinition(s_level, "tank.product_level", "mm", null),
            new ChannelDefinition(s_water, "tank.water_level", "mm", null),
        ], new Dictionary<string, string>()),
    ]);

    private static (MqttPayloadRejection? Rejection, List<Reading> Readings) Decode(string payload, string topic = Topic, int maxBytes = 4096)
    {
        var readings = new List<Reading> { default };
        readings.Clear();
        var rejection = new MqttJsonReadingDecoder(s_site.Devices, maxBytes).Decode(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), s_received, readings);
        return (rejection, readings);
    }

    [Fact]
    public void Decode_TwoChannelsWithSeqAndTime_YieldsBothReadings()
    {
        var (rejection, readings) = Decode("""{"seq":7,"ts":"2026-11-29T05:59:58.250+08:00","readings":[{"channel":"level","value":1523.5},{"channel":"water","value":12,"status":"fault"}]}""");

        Assert.Null(rejection);
        var sourceTime = new DateTimeOffset(2026, 11, 29, 5, 59, 58, 250, TimeSpan.FromHours(8));
        Assert.Equal(
            [
                new Reading(s_level, "tank.product_level", "mm", 1523.5, Quality.Good, sourceTime, s_received, 7),
                new Reading(s_water, "tank.water_level", "mm", 12, Quality.Bad(QualityReason.SensorFault), sourceTime, s_received, 7),
            ],
            readings);
        Assert.Same(s_level, readings[0].Channel);
    }

    [Fact]
    public void Decode_NoSeqNoTime_UsesReceiveTimeAndZeroSequence()
    {
        var (rejection, readings) = Decode("""{"readings":[{"channel":"level","value":true}]}""");
        Assert.Null(rejection);
        Assert.Equal(new Reading(s_level, "tank.product_level", "mm", 1, Quality.Good, s_received, s_received, 0), Assert.Single(readings));
    }

    [Theory]
    [InlineData("""{"readings":[{"channel":"level","value":1}""", MqttPayloadRejection.InvalidJson)]
    [InlineData("""[1,2]""", MqttPayloadRejection.WrongType)]
    [InlineData("""{"seq":-1,"readings":[]}""", MqttPayloadRejection.WrongType)]
    [InlineData("""{"seq":"7","readings":[]}""", MqttPayloadRejection.WrongType)]
    [InlineData("""{"ts":"2026-11-29T05:00:00","readings":[]}""", MqttPayloadRejection.BadTimestamp)]
    [InlineData("""{"ts":"yesterday","readings":[]}""", MqttPayloadRejection.BadTimestamp)]
    [InlineData("""{"seq":1}""", MqttPayloadRejection.MissingField)]
    [InlineData("""{"readings":{"level":1}}""", MqttPayloadRejection.WrongType)]
    [InlineData("""{"readings":[{"value":1}]}""", MqttPayloadRejection.MissingField)]
    [InlineData("""{"readings":[{"channel":"level"}]}""", MqttPayloadRejection.MissingField)]
    [InlineData("""{"readings":[{"channel":"level","value":"12"}]}""", MqttPayloadRejection.WrongType)]
    [InlineData("""{"readings":[{"channel":"level","value":"NaN"}]}""", MqttPayloadRejection.NonFinite)]
    [InlineData("""{"readings":[{"channel":"level","value":"Infinity"}]}""", MqttPayloadRejection.NonFinite)]
    [InlineData("""{"readings":[{"channel":"level","value":1e999}]}""", MqttPayloadRejection.NonFinite)]
    [InlineData("""{"readings":[{"channel":"temp","value":1}]}""", MqttPayloadRejection.UnknownChannel)]
    [InlineData("""{"readings":[{"channel":"level","value":1,"status":"broken"}]}""", MqttPayloadRejection.WrongType)]
    public void Decode_BadPayload_RejectedWithReason(string payload, string reason)
    {
        var (rejection, readings) = Decode(payload);
        Assert.Equal(reason, rejection?.Reason);
        Assert.Empty(readings);
    }

    [Fact]
    public void Decode_SecondChannelBad_NothingOfTheMessageIsKept()
    {
        var (rejection, readings) = Decode("""{"readings":[{"channel":"level","value":1},{"channel":"water","value":null}]}""");
        Assert.Equal("readings[1].value must be a number or boolean, found Null", rejection?.Detail);
        Assert.Empty(readings);
    }

    [Fact]
    public void Decode_UnknownTopic_Rejected()
    {
        var (rejection, _) = Decode("""{"readings":[]}""", topic: "s1/other");
        Assert.Equal(new MqttPayloadRejection(MqttPayloadRejection.UnknownTopic, "no device in the site file publishes on 's1/other'"), rejection);
    }

    [Fact]
    public void Decode_Oversize_RejectedBeforeParsing()
    {
        var (rejection, _) = Decode(new string(' ', 65) + "{}", maxBytes: 64);
        Assert.Equal(new MqttPayloadRejection(MqttPayloadRejection.Oversize, "67 bytes, limit 64"), rejection);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void Decode_DeviceWithManyChannels_FindsEachByName(int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => new ChannelId("s1", "multi", $"c{i}")).ToArray();
        var device = new DeviceDefinition("multi", "Multi", "", null, new MqttDeviceAddress("s1/multi"), TimeSpan.FromSeconds(1),
            [.. ids.Select(id => new ChannelDefinition(id, "tank.temperature", "°C", null))], new Dictionary<string, string>());
        var decoder = new MqttJsonReadingDecoder([device], 65536);
        var payload = "{\"readings\":[" + string.Join(",", ids.Reverse().Select((id, i) => $"{{\"channel\":\"{id.Channel}\",\"value\":{i}}}")) + "]}";
        var readings = new List<Reading>();

        var rejection = decoder.Decode("s1/multi", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), s_received, readings);
        var unknown = decoder.Decode("s1/multi", new ReadOnlySequence<byte>("{\"readings\":[{\"channel\":\"c0\",\"value\":1}]}"u8.ToArray()), s_received, []);

        Assert.Null(rejection);
        Assert.Equal(ids.Reverse().Select((id, i) => (id, (double)i)), readings.Select(r => (r.Channel, r.Value)));
        Assert.All(readings.Zip(ids.Reverse()), pair => Assert.Same(pair.Second, pair.First.Channel));
        Assert.Equal(new MqttPayloadRejection(MqttPayloadRejection.UnknownChannel, "device 'multi' has no channel 'c0'"), unknown);
    }

    [Fact]
    public void Decode_ChannelNameWithJsonEscape_MatchesTheUnescapedId()
    {
        var (rejection, readings) = Decode("""{"readings":[{"channel":"\u006cevel","value":3}]}""");

        Assert.Null(rejection);
        Assert.Equal([s_level], readings.Select(r => r.Channel));
    }

    [Fact]
    public void Topics_AreTheSiteMqttDevicesTopics() =>
        Assert.Equal([Topic], new MqttJsonReadingDecoder(s_site.Devices, 1024).Topics);
}
