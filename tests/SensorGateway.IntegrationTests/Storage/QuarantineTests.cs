using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.IntegrationTests.Infrastructure;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>A point InfluxDB 1.x refuses inside a batch goes to quarantine with the reason; the rest of the batch lands.</summary>
public sealed class QuarantineTests
{
    [Fact]
    public async Task Write_FieldTypeConflictOnOnePoint_PointQuarantinedAndTheOthersStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-quar");
        var database = site.Replace('-', '_');
        using var http = new HttpClient { BaseAddress = TestServers.InfluxDb1 };
        (await http.PostAsync(new Uri($"query?q={Uri.EscapeDataString($"CREATE DATABASE \"{database}\"")}", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();

        // In the shard of year 2001 'value' is already a string, so a float value stamped in 2001 conflicts there only.
        var old = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using (var seed = new StringContent($"reading,site={site},device=gd-01 value=\"text\" {old.ToUnixTimeMilliseconds()}"))
        {
            (await http.PostAsync(new Uri($"write?db={database}&precision=ms", UriKind.Relative), seed, ct)).EnsureSuccessStatusCode();
        }

        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", "--Storage:Mode=InfluxV1", $"--Storage:Url={TestServers.InfluxDb1}",
            $"--Storage:Database={database}", "--Storage:FlushInterval=00:00:01",
        ], ct);
        await gateway.WhenMqttSubscribedAsync(ct);
        var broker = gateway.Services.GetRequiredService<Edge.Mqtt.EmbeddedMqttBroker>();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", broker.Port, ct))
        {
            await device.PublishReadingAsync(topic, 1, 1.5, now, ct);
            await device.PublishReadingAsync(topic, 2, 2.5, old, ct);   // the device's clock jumped back to 2001
            await device.PublishReadingAsync(topic, 3, 3.5, now.AddSeconds(1), ct);
        }

        var quarantined = await Eventually.ReturnsAsync(_ =>
        {
            var folder = Path.Combine(gateway.Directory, "readings", "quarantine");
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "quarantine-*.lp") : [];
            return Task.FromResult(files.Length == 1 ? File.ReadAllLines(files[0]) : null);
        }, "the quarantined point", ct);
        Assert.Equal(2, quarantined.Length);
        Assert.Contains("database answered 400", quarantined[0], StringComparison.Ordinal);
        Assert.Contains("field type conflict", quarantined[0], StringComparison.Ordinal);
        Assert.EndsWith($"value=2.5,quality=\"good\",seq=2i {old.ToUnixTimeMilliseconds()}", quarantined[1], StringComparison.Ordinal);

        var stored = await Eventually.ReturnsValueAsync(async token =>
        {
            var query = Uri.EscapeDataString($"SELECT seq FROM reading WHERE site = '{site}' AND time > now() - 1h");
            var json = await http.GetFromJsonAsync<JsonElement>(new Uri($"query?db={database}&q={query}", UriKind.Relative), token);
            return json.GetProperty("results")[0].TryGetProperty("series", out var s) && s[0].GetProperty("values").GetArrayLength() == 2 ? s[0] : (JsonElement?)null;
        }, "the two valid points", ct);
        Assert.Equal([1L, 3L], stored.GetProperty("values").EnumerateArray().Select(v => v[1].GetInt64()));
    }
}
