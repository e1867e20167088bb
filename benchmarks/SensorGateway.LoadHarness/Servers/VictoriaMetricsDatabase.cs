using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SensorGateway.LoadHarness.Servers;

/// <summary>
/// VictoriaMetrics on a free loopback port, written by the gateway through its InfluxDB v2 write API (fields become
/// <c>reading_value</c>, <c>reading_seq</c>), counted with MetricsQL's <c>count_over_time</c> and <c>distinct_over_time</c>.
/// </summary>
internal sealed class VictoriaMetricsDatabase : IReadingDatabase
{
    private readonly HttpClient _http;

    private VictoriaMetricsDatabase(ChildProcess process, Uri url)
    {
        Process = process;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        GatewayArguments = ["--Storage:Mode=InfluxV2", $"--Storage:Url={url}", "--Storage:Org=load", "--Storage:Bucket=readings"];
    }

    public string Name => "VictoriaMetrics";

    public ChildProcess Process { get; }

    public IReadOnlyList<string> GatewayArguments { get; }

    public static async Task<VictoriaMetricsDatabase> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        // No query cache and no latency offset: the drain loop must see the newest points at once.
        var process = ChildProcess.Start("victoria-metrics", "/usr/bin/victoria-metrics",
        [
            $"-storageDataPath={Path.Combine(folder, "victoria-metrics")}", $"-httpListenAddr=127.0.0.1:{port}", "-retentionPeriod=1",
            "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=ERROR",
        ], folder);
        var database = new VictoriaMetricsDatabase(process, new Uri($"http://127.0.0.1:{port}/"));
        await process.WaitUntilReadyAsync(async ct => (await database._http.GetAsync(new Uri("health", UriKind.Relative), ct).ConfigureAwait(false)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return database;
    }

    public async Task<long> CountAsync(string site, CancellationToken cancellationToken)
    {
        var series = await QueryAsync($"sum(count_over_time(reading_value{{site=\"{site}\"}}[{ReadingDatabase.Window}]))", cancellationToken).ConfigureAwait(false);
        return series.Count == 0 ? 0 : (long)series[0].Value;
    }

    public async Task<IReadOnlyDictionary<string, (long Distinct, long Stored)>> SequencesAsync(string site, SequenceSource source, CancellationToken cancellationToken)
    {
        var selector = source == SequenceSource.MqttMessage
            ? $"reading_seq{{site=\"{site}\",channel=\"lel\"}}"
            : $"reading_value{{site=\"{site}\",channel=\"seq\"}}";
        var distinct = await QueryAsync($"distinct_over_time({selector}[{ReadingDatabase.Window}])", cancellationToken).ConfigureAwait(false);
        var stored = (await QueryAsync($"count_over_time({selector}[{ReadingDatabase.Window}])", cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Device, s => (long)s.Value, StringComparer.Ordinal);
        return distinct.ToDictionary(s => s.Device, s => ((long)s.Value, stored.GetValueOrDefault(s.Device)), StringComparer.Ordinal);
    }

    public async Task WriteAsync(string lines, CancellationToken cancellationToken)
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri("api/v2/write?org=load&bucket=readings&precision=ms", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<(string Device, double Value)>> QueryAsync(string query, CancellationToken cancellationToken)
    {
        // Freshly ingested points become searchable after a flush of the in-memory buffers.
        (await _http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken).ConfigureAwait(false)).Dispose();
        using var form = new FormUrlEncodedContent([new("query", query)]);
        using var response = await _http.PostAsync(new Uri("api/v1/query", UriKind.Relative), form, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return
        [
            .. body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
                series.GetProperty("metric").TryGetProperty("device", out var device) ? device.GetString() ?? "" : "",
                double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
