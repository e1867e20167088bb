using System.Net.Http.Json;
using System.Text.Json;
using SensorGateway.Core.Readings;
using SensorGateway.Host.Tools;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Spool;

namespace SensorGateway.IntegrationTests.Tools;

/// <summary>The local store's ways out: export as line protocol, and forward into a database (InfluxDB 1.x from scripts/test.sh).</summary>
public sealed class SpoolCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sensorgateway-spool-").FullName;
    private readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Export_SpoolWithThreeReadings_WritesThemAsLineProtocolInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await FillAsync("site-x", ct);
        using var output = new StringWriter();

        var exit = await SpoolCommand.RunAsync(["export", "--dir", Path.Combine(_directory, "spool"), "--sector", "fuel_stations"], output, TextWriter.Null, ct);

        Assert.Equal(0, exit);
        Assert.Equal(
            Enumerable.Range(1, 3).Select(i => $"reading,site=site-x,sector=fuel_stations,device=gd-01,channel=lel,quantity=gas.combustible,unit=%LEL value={i * 1.5},quality=\"good\",seq={i}i {_t0.AddSeconds(i).ToUnixTimeMilliseconds()}"),
            output.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Forward_SpoolIntoInfluxDb1_AllStoredAndTheSpoolEmptied()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-fwd");
        var database = site.Replace('-', '_');
        using var http = new HttpClient { BaseAddress = TestServers.InfluxDb1 };
        (await http.PostAsync(new Uri($"query?q={Uri.EscapeDataString($"CREATE DATABASE \"{database}\"")}", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();
        await FillAsync(site, ct);
        using var output = new StringWriter();

        var exit = await SpoolCommand.RunAsync(["forward", "--dir", Path.Combine(_directory, "spool"), "--mode", "InfluxV1", "--url", TestServers.InfluxDb1.ToString(), "--database", database], output, TextWriter.Null, ct);

        Assert.Equal(0, exit);
        Assert.StartsWith("spool: forwarded 3 of 3 readings; 0 refused as invalid", output.ToString(), StringComparison.Ordinal);
        var query = Uri.EscapeDataString($"SELECT seq FROM reading WHERE site = '{site}'");
        var json = await http.GetFromJsonAsync<JsonElement>(new Uri($"query?db={database}&q={query}", UriKind.Relative), ct);
        Assert.Equal([1L, 2, 3], json.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v[1].GetInt64()));
        await using var spool = FileReadingSpool.Open(new FileSpoolOptions { Directory = Path.Combine(_directory, "spool") });
        Assert.Equal(0, spool.Counters.PendingRecords);
    }

    private async Task FillAsync(string site, CancellationToken ct)
    {
        await using var spool = FileReadingSpool.Open(new FileSpoolOptions { Directory = Path.Combine(_directory, "spool") });
        var channel = new ChannelId(site, "gd-01", "lel");
        var readings = Enumerable.Range(1, 3)
            .Select(i => new Reading(channel, "gas.combustible", "%LEL", i * 1.5, Quality.Good, _t0.AddSeconds(i), _t0.AddSeconds(i), i)).ToArray();
        await spool.AppendAsync(readings, ct);
    }
}
