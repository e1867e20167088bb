using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// What the writer spends per reading before a batch leaves the process, stage by stage on one thread: line
/// protocol into one body, UTF-8, and gzip at the level InfluxDB.Client uses (GZipStream's default, Optimal) and at
/// Fastest for comparison. The spool's own stages are measured by the BenchmarkDotNet benchmarks (docs/SPOOL.md).
/// </summary>
internal static class WriterStageCosts
{
    private const int Rounds = 40;

    public static IEnumerable<string> Measure(int batchSize, string sector)
    {
        var lineProtocol = new LineProtocol(sector);
        var batch = new ReadingSource("stages", 10_000, DateTimeOffset.UnixEpoch.AddYears(56)).Take(batchSize).ToArray();
        var body = new StringBuilder(batchSize * 160);
        var text = string.Empty;
        var serialise = Time(() => text = lineProtocol.AppendLines(body.Clear(), batch).ToString());
        var bytes = Array.Empty<byte>();
        var encode = Time(() => bytes = Encoding.UTF8.GetBytes(text));
        var compressed = 0L;
        var optimal = Time(() => compressed = Gzip(bytes, CompressionLevel.Optimal).Length);
        var optimalSize = compressed;
        var fastest = Time(() => compressed = Gzip(bytes, CompressionLevel.Fastest).Length);
        return
        [
            "| writer stage, one thread | µs per reading | note |",
            "|---|---|---|",
            Row("line protocol into one body", serialise, batchSize, $"{bytes.Length / batchSize} bytes per reading"),
            Row("UTF-8", encode, batchSize, ""),
            Row("gzip Optimal (InfluxDB.Client)", optimal, batchSize, $"{optimalSize / (double)batchSize:F1} bytes per reading"),
            Row("gzip Fastest", fastest, batchSize, $"{compressed / (double)batchSize:F1} bytes per reading"),
        ];
    }

    // The median of several rounds, after a warm-up round (JIT, tiered compilation).
    private static TimeSpan Time(Action stage)
    {
        stage();
        var times = new List<TimeSpan>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            stage();
            times.Add(clock.Elapsed);
        }

        times.Sort();
        return times[Rounds / 2];
    }

    public static byte[] Gzip(byte[] bytes, CompressionLevel level)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, level))
        {
            gzip.Write(bytes);
        }

        return packed.ToArray();
    }

    private static string Row(string stage, TimeSpan perBatch, int batchSize, string note) =>
        string.Create(CultureInfo.InvariantCulture, $"| {stage} | {perBatch.TotalMicroseconds / batchSize:F2} | {note} |");
}
