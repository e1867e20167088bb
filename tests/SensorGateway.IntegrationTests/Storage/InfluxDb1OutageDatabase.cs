using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>
/// InfluxDB 1.6 through the gateway's v1 writer (<c>/write</c>). InfluxDB keeps one point per series and timestamp,
/// so a resent point replaces itself: stored duplicates are always zero here, and the test counts resends on the
/// gateway's side as well.
/// </summary>
internal sealed class InfluxDb1OutageDatabase() : OutageDatabase(new LocalInfluxDb1())
{
    public override async Task StartAsync(string site, CancellationToken cancellationToken)
    {
        await Server.StartAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = Server.Url };
        var create = Uri.EscapeDataString($"CREATE DATABASE \"{Database(site)}\"");
        (await http.PostAsync(new Uri($"query?q={create}", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
    }

    public override IEnumerable<string> GatewaySettings(string site) =>
        ["--Storage:Mode=InfluxV1", $"--Storage:Url={Server.Url}", $"--Storage:Database={Database(site)}"];

    public override async Task<IReadOnlyList<long>> StoredSequencesAsync(string site, DateTimeOffset t0, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        var query = Uri.EscapeDataString(string.Create(CultureInfo.InvariantCulture,
            $"SELECT seq FROM reading WHERE site = '{site}' AND time >= '{t0.UtcDateTime.AddMinutes(-1):yyyy-MM-ddTHH:mm:ssZ}' AND time <= '{t0.UtcDateTime.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}'"));
        var json = await http.GetFromJsonAsync<JsonElement>(new Uri($"query?db={Database(site)}&q={query}", UriKind.Relative), cancellationToken);
        return json.GetProperty("results")[0].TryGetProperty("series", out var series)
            ? series[0].GetProperty("values").EnumerateArray().Select(row => row[1].GetInt64()).ToList()
            : [];
    }

    private static string Database(string site) => site.Replace('-', '_');
}
