using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Core.Readings;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Storage.Spool;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;

namespace SensorGateway.IntegrationTests;

/// <summary>
/// One reading's whole path through real components: MQTT broker → ingest → Rx pipeline with a fixed
/// threshold → storage (queried back from the database) and the alarm on a gRPC server stream over loopback.
/// </summary>
public sealed class ThinSliceTests
{
    // Recent whole seconds: databases keep only a retention window, and VictoriaMetrics hides future points.
    private static readonly DateTimeOffset s_t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());

    [Fact]
    public async Task ReadingOverThreshold_ViaMosquittoIntoInfluxDb1_AlarmStreamedAndPointsQueryable()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-v1");
        var database = site.Replace('-', '_');
        using var http = new HttpClient { BaseAddress = TestServers.InfluxDb1 };
        (await http.PostAsync(new Uri($"query?q={Uri.EscapeDataString($"CREATE DATABASE \"{database}\"")}", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            $"--Mqtt:Host={TestServers.MqttHost}", $"--Mqtt:Port={TestServers.MqttPort}", $"--Mqtt:ClientId={site}",
            "--Storage:Mode=InfluxV1", $"--Storage:Url={TestServers.InfluxDb1}", $"--Storage:Database={database}",
        ], ct);
        using var subscription = gateway.Hazards.Subscribe(new SubscribeRequest(), cancellationToken: ct);
        await using var device = await MqttTestPublisher.ConnectAsync(TestServers.MqttHost, TestServers.MqttPort, ct);
        var publishing = DateTimeOffset.UtcNow;

        var alarm = await PublishUntilAlarmAsync(gateway, device, topic, subscription, ct);

        Assert.Equal(HazardEventKind.Raised, alarm.Kind);
        Assert.Equal(1UL, alarm.Sequence);
        Assert.Equal(site, alarm.Alarm.Site);
        Assert.Equal("gd-01", alarm.Alarm.Device);
        Assert.Equal("lel", alarm.Alarm.Channel);
        Assert.Equal(AlarmLevel._1, alarm.Alarm.Level);
        Assert.Equal("L1", alarm.Alarm.Limit);
        Assert.Equal(25, alarm.Alarm.SetPoint);
        Assert.Equal(31.5, alarm.Alarm.Value);
        Assert.Equal("%LEL", alarm.Alarm.Unit);
        // Received by the gateway after the device sent it and no later than the alarm was raised.
        Assert.InRange(alarm.Alarm.ReceivedTime.ToDateTimeOffset(), publishing, alarm.Time.ToDateTimeOffset());

        var rows = await Eventually.ReturnsValueAsync(async token =>
        {
            var query = Uri.EscapeDataString($"SELECT value, seq, quality FROM reading WHERE site = '{site}' AND seq >= 1000");
            var json = await http.GetFromJsonAsync<JsonElement>(new Uri($"query?db={database}&q={query}", UriKind.Relative), token);
            var series = json.GetProperty("results")[0];
            return series.TryGetProperty("series", out var s) && s[0].GetProperty("values").GetArrayLength() == 2 ? s[0] : (JsonElement?)null;
        }, "both points in InfluxDB 1.x", ct);
        var values = rows.GetProperty("values");
        Assert.Equal(["time", "value", "seq", "quality"], rows.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal((12.0, 1000L, "good"), (values[0][1].GetDouble(), values[0][2].GetInt64(), values[0][3].GetString()));
        Assert.Equal((31.5, 1001L, "good"), (values[1][1].GetDouble(), values[1][2].GetInt64(), values[1][3].GetString()));
        Assert.Equal(s_t0, DateTimeOffset.Parse(values[0][0].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReadingOverThreshold_ViaMosquittoIntoVictoriaMetrics_PointsLandThroughV2WriteApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-v2");
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            $"--Mqtt:Host={TestServers.MqttHost}", $"--Mqtt:Port={TestServers.MqttPort}", $"--Mqtt:ClientId={site}",
            "--Storage:Mode=InfluxV2", $"--Storage:Url={TestServers.VictoriaMetrics}", "--Storage:Org=test", "--Storage:Bucket=readings",
        ], ct);
        using var subscription = gateway.Hazards.Subscribe(new SubscribeRequest { Site = site }, cancellationToken: ct);
        await using var device = await MqttTestPublisher.ConnectAsync(TestServers.MqttHost, TestServers.MqttPort, ct);

        var alarm = await PublishUntilAlarmAsync(gateway, device, topic, subscription, ct);
        Assert.Equal(AlarmLevel._1, alarm.Alarm.Level);

        using var http = new HttpClient { BaseAddress = TestServers.VictoriaMetrics };
        var exported = await Eventually.ReturnsValueAsync(async token =>
        {
            await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), token);
            var match = Uri.EscapeDataString($"reading_value{{site=\"{site}\"}}");
            var body = await http.GetStringAsync(new Uri($"api/v1/export?match[]={match}&start={s_t0.AddMinutes(-1).ToUnixTimeSeconds()}&end={s_t0.AddMinutes(1).ToUnixTimeSeconds()}", UriKind.Relative), token);
            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 1 && JsonDocument.Parse(lines[0]).RootElement.GetProperty("values").GetArrayLength() == 2
                ? JsonDocument.Parse(lines[0]).RootElement
                : (JsonElement?)null;
        }, "both points in VictoriaMetrics", ct);
        var labels = exported.GetProperty("metric");
        Assert.Equal("gd-01", labels.GetProperty("device").GetString());
        Assert.Equal("lel", labels.GetProperty("channel").GetString());
        Assert.Equal("gas.combustible", labels.GetProperty("quantity").GetString());
        Assert.Equal("fuel_stations", labels.GetProperty("sector").GetString());
        Assert.Equal([12.0, 31.5], exported.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([s_t0.ToUnixTimeMilliseconds(), s_t0.AddSeconds(1).ToUnixTimeMilliseconds()],
            exported.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()));
    }

    [Fact]
    public async Task ReadingOverThreshold_ViaEmbeddedBroker_AlarmStreamedAndReadingsInLocalSpool()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-emb");
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
            ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", "--Storage:Mode=Local"], ct);
        var broker = gateway.Services.GetRequiredService<EmbeddedMqttBroker>();
        using var subscription = gateway.Hazards.Subscribe(new SubscribeRequest(), cancellationToken: ct);
        await using var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", broker.Port, ct);

        var alarm = await PublishUntilAlarmAsync(gateway, device, topic, subscription, ct);
        Assert.Equal(HazardEventKind.Raised, alarm.Kind);
        Assert.Equal(31.5, alarm.Alarm.Value);

        var spool = gateway.Services.GetRequiredService<IReadingSpool>();
        var stored = await Eventually.ReturnsAsync(async token =>
        {
            var ours = new List<Reading>();
            await foreach (var reading in spool.ReadPendingAsync(token))
            {
                if (reading.Channel.Site == site)
                {
                    ours.Add(reading);
                }
            }

            return ours.Count == 2 ? ours : null;
        }, "both readings in the local spool", ct);
        Assert.Equal([(1000L, 12.0, s_t0), (1001L, 31.5, s_t0.AddSeconds(1))], stored.Select(r => (r.Sequence, r.Value, r.SourceTime)));
        Assert.All(stored, r => Assert.Equal(("gas.combustible", "%LEL", Quality.Good), (r.Quantity, r.Unit, r.Quality)));
    }

    private static async Task<HazardEvent> PublishUntilAlarmAsync(RunningGateway gateway, MqttTestPublisher device, string topic,
        AsyncServerStreamingCall<SubscribeResponse> subscription, CancellationToken ct)
    {
        await gateway.WhenMqttSubscribedAsync(ct);
        await device.PublishReadingAsync(topic, 1000, 12.0, s_t0, ct);
        await device.PublishReadingAsync(topic, 1001, 31.5, s_t0.AddSeconds(1), ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        Assert.True(await subscription.ResponseStream.MoveNext(timeout.Token));
        return subscription.ResponseStream.Current.Event;
    }
}
