using System.Text;
using System.Text.Json;

namespace SensorGateway.LoadHarness.Servers;

/// <summary>InfluxDB 1.x on free loopback ports with its own data folder, counted with InfluxQL (<c>count(distinct(...))</c>).</summary>
internal sealed class InfluxDb1Database : IReadingDatabase
{
    private const string Database = "load";
    private readonly HttpClient _http;

    private InfluxDb1Database(ChildProcess process, Uri url)
    {
        Process = process;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        GatewayArguments = ["--Storage:Mode=InfluxV1", $"--Storage:Url={url}", $"--Storage:Database={Database}"];
    }

    public string Name => "InfluxDB 1.x";

    public ChildProcess Process { get; }

    public IReadOnlyList<string> GatewayArguments { get; }

    public static async Task<InfluxDb1Database> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var (port, rpc) = (FreePort.Next(), FreePort.Next());
        var data = Path.Combine(folder, "influxdb");
        var config = Path.Combine(folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpc}"
            [meta]
              dir = "{data}/meta"
            [data]
              dir = "{data}/data"
              wal-dir = "{data}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """, cancellationToken).ConfigureAwait(false);
        var process = ChildProcess.Start("influxdb", "/usr/bin/influxd", ["-config", config], folder);
        var database = new InfluxDb1Database(process, new Uri($"http://127.0.0.1:{port}/"));
        await process.WaitUntilReadyAsync(async ct => (await database._http.GetAsync(new Uri("ping", UriKind.Relative), ct).ConfigureAwait(false)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        await database.QueryAsync($"CREATE DATABASE {Database}", cancellationToken).ConfigureAwait(false);
        return database;
    }

    public async Task<long> CountAsync(string site, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT count(\"value\") FROM \"reading\" WHERE \"site\" = '{site}'", cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : rows[0].Values[0];
    }

    public async Task<IReadOnlyDictionary<string, (long Distinct, long Stored)>> SequencesAsync(string site, SequenceSource source, CancellationToken cancellationToken)
    {
        var (field, channel) = source == SequenceSource.MqttMessage ? ("seq", "lel") : ("value", "seq");
        var rows = await QueryAsync(
            $"SELECT count(distinct(\"{field}\")), count(\"{field}\") FROM \"reading\" WHERE \"site\" = '{site}' AND \"channel\" = '{channel}' GROUP BY \"device\"",
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Device, r => (r.Values[0], r.Values[1]), StringComparer.Ordinal);
    }

    public async Task WriteAsync(string lines, CancellationToken cancellationToken)
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri($"write?db={Database}&precision=ms", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>One row per series: its <c>device</c> tag and the first row's numbers.</summary>
    private async Task<List<(string Device, long[] Values)>> QueryAsync(string query, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent([new("q", query), new("db", Database)]);
        using var response = await _http.PostAsync(new Uri("query", UriKind.Relative), form, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = body.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        return
        [
            .. series.EnumerateArray().Select(s => (
                s.TryGetProperty("tags", out var tags) && tags.TryGetProperty("device", out var device) ? device.GetString() ?? "" : "",
                s.GetProperty("values")[0].EnumerateArray().Skip(1).Select(v => v.GetInt64()).ToArray())),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
