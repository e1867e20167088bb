using System.Diagnostics;
using System.Text;
using SensorGateway.Core.Readings;
using SensorGateway.LoadHarness.Servers;
using SensorGateway.Storage.Influx;

namespace SensorGateway.LoadHarness.Peers;

/// <summary>
/// The database reference: how many readings per second the database itself takes when batches of the gateway's
/// size and shape (serialised beforehand by the gateway's own <see cref="LineProtocol"/>) are posted back to back by
/// as many writers as the machine has cores. The gateway cannot land readings faster than this.
/// </summary>
internal static class IngestCeiling
{
    public const int BatchSize = 5000;

    public static async Task<double> MeasureAsync(IReadingDatabase database, TimeSpan duration, CancellationToken cancellationToken)
    {
        var batches = Enumerable.Range(0, 16).Select(Batch).ToArray();
        long written = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Environment.ProcessorCount).Select(async writer =>
        {
            for (var n = writer; clock.Elapsed < duration; n += Environment.ProcessorCount)
            {
                await database.WriteAsync(batches[n % batches.Length], cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref written, BatchSize);
            }
        })).ConfigureAwait(false);
        return written / clock.Elapsed.TotalSeconds;
    }

    // A site of its own, so the ceiling's points never count as the run's.
    private static string Batch(int index)
    {
        var protocol = new LineProtocol("fuel_stations");
        var start = DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(index);
        var text = new StringBuilder(BatchSize * 160);
        for (var i = 0; i < BatchSize; i++)
        {
            var reading = new Reading(new ChannelId("ceiling", $"d{i:D5}", "lel"), "gas.combustible", "%LEL", 1.5 + (i % 7 * 0.1), Quality.Good, start, start, index + 1);
            protocol.Append(text, reading);
            text.Append('\n');
        }

        return text.ToString();
    }
}
