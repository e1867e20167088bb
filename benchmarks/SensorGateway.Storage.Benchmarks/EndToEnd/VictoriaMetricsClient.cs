using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// Talks to VictoriaMetrics without the gateway: counts the samples that landed, and measures the server's own
/// ingest ceiling by posting batches that were serialised and gzipped beforehand, so that only the server works.
/// </summary>
internal sealed class VictoriaMetricsClient(Uri url) : IDisposable
{
    private static readonly TimeSpan s_settleWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_settleInterval = TimeSpan.FromSeconds(1);
    private readonly HttpClient _http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// How many <c>seq</c> samples of the site VictoriaMetrics holds (repeats included), asked again until it reaches
    /// <paramref name="expected"/> or the bound passes: a series VictoriaMetrics indexed a moment ago can be missing
    /// from a search for a few seconds even after a flush, which would look like loss.
    /// </summary>
    public async Task<long> CountLandedAsync(string site, long expected, CancellationToken cancellationToken)
    {
        var count = await CountAsync(site, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (count < expected && clock.Elapsed < s_settleWithin)
        {
            await Task.Delay(s_settleInterval, cancellationToken).ConfigureAwait(false);
            count = await CountAsync(site, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private async Task<long> CountAsync(string site, CancellationToken cancellationToken)
    {
        // Fresh samples sit in memory buffers until flushed, and query results are cached: neither may hide a sample.
        using (await _http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken).ConfigureAwait(false))
        {
        }

        var query = Uri.EscapeDataString($"sum(count_over_time(reading_seq{{site=\"{site}\"}}[1d]))");
        using var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"api/v1/query?query={query}&nocache=1", UriKind.Relative), cancellationToken).ConfigureAwait(false));
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? 0 : long.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Line protocol batches as the writer sends them (same schema, batch size and gzip), built once so that posting
    /// them costs the client next to nothing.
    /// </summary>
    public static List<byte[]> Serialise(ReadingSource source, int batches, int batchSize, LineProtocol lineProtocol)
    {
        var bodies = new List<byte[]>(batches);
        var text = new StringBuilder(batchSize * 160);
        for (var b = 0; b < batches; b++)
        {
            text.Clear();
            var lines = lineProtocol.AppendLines(text, source.Take(batchSize).ToArray()).ToString();
            bodies.Add(WriterStageCosts.Gzip(Encoding.UTF8.GetBytes(lines), CompressionLevel.Optimal));
        }

        return bodies;
    }

    /// <summary>Posts the bodies round and round, <paramref name="inFlight"/> at a time, for <paramref name="duration"/>; returns the readings posted.</summary>
    public async Task<long> PostForAsync(IReadOnlyList<byte[]> bodies, int batchSize, int inFlight, TimeSpan duration, CancellationToken cancellationToken)
    {
        long posted = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var body = bodies[(Interlocked.Increment(ref next) & int.MaxValue) % bodies.Count];
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                content.Headers.ContentEncoding.Add("gzip");
                using var response = await _http.PostAsync(new Uri("api/v2/write?org=bench&bucket=readings&precision=ms", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                Interlocked.Add(ref posted, batchSize);
            }
        })).ConfigureAwait(false);
        return posted;
    }

    public void Dispose() => _http.Dispose();
}
