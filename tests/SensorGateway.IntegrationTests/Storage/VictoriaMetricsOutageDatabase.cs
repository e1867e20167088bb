using System.Text.Json;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>VictoriaMetrics through the v2 write API; it keeps repeated samples, so resent points show as duplicates.</summary>
internal sealed class VictoriaMetricsOutageDatabase() : OutageDatabase(new LocalVictoriaMetrics())
{
    public override Task StartAsync(string site, CancellationToken cancellationToken) => Server.StartAsync(cancellationToken);

    public override IEnumerable<string> GatewaySettings(string site) =>
        ["--Storage:Mode=InfluxV2", $"--Storage:Url={Server.Url}", "--Storage:Org=test", "--Storage:Bucket=readings"];

    public override async Task<IReadOnlyList<long>> StoredSequencesAsync(string site, DateTimeOffset t0, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Server.Url };

        // Recent samples sit in memory until flushed; the export reads only what is searchable.
        using (await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken))
        {
        }

        var match = Uri.EscapeDataString($"reading_seq{{site=\"{site}\"}}");
        var body = await http.GetStringAsync(new Uri($"api/v1/export?match[]={match}&start={t0.AddMinutes(-1).ToUnixTimeSeconds()}&end={t0.AddMinutes(5).ToUnixTimeSeconds()}", UriKind.Relative), cancellationToken);
        var sequences = new List<long>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var series = JsonDocument.Parse(line);
            sequences.AddRange(series.RootElement.GetProperty("values").EnumerateArray().Select(v => (long)v.GetDouble()));
        }

        return sequences;
    }
}
