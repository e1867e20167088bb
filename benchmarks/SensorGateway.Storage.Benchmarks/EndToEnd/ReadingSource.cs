using System.Diagnostics;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Forwarding;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// Gas readings of many channels of one site, each channel's readings a millisecond apart so that every reading is
/// its own sample in the database (the landed count can be compared with the sent count). Offers them to the
/// storage queue the way the gateway's sources do: a source holds its acknowledgements until readings are durable,
/// so no more than a window of readings waits for the spool, and nothing is dropped.
/// </summary>
internal sealed class ReadingSource(string site, int channels, DateTimeOffset start)
{
    private const int Chunk = 1000;
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(5);

    private readonly ChannelId[] _ids = Enumerable.Range(0, channels).Select(i => new ChannelId(site, $"gd-{i:00000}", "lel")).ToArray();
    private long _produced;

    public string Site => site;

    /// <summary>Readings offered to the queue so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>
    /// Offers readings until <paramref name="stop"/> fires: as fast as the queue makes them durable, or at
    /// <paramref name="perSecond"/> on average when given.
    /// </summary>
    public async Task RunAsync(ReadingQueue queue, double? perSecond, CancellationToken stop)
    {
        var window = queue.Capacity / 2;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(s_tick);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (perSecond is { } rate && Produced + Chunk > rate * clock.Elapsed.TotalSeconds)
                {
                    await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
                    continue;
                }

                for (var k = 0; k < Chunk; k++)
                {
                    if (!queue.TryEnqueue(Next()))
                    {
                        throw new InvalidOperationException("the storage queue dropped a reading inside the source's window");
                    }
                }

                await queue.WhenDurableAsync(Produced - window, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; what was offered is counted.
        }
    }

    /// <summary>The next <paramref name="count"/> readings, not offered to any queue (for pre-serialised batches).</summary>
    public IEnumerable<Reading> Take(int count)
    {
        for (var k = 0; k < count; k++)
        {
            yield return Next();
        }
    }

    private Reading Next()
    {
        var i = _produced;
        var round = i / _ids.Length;
        var time = start.AddMilliseconds(round);
        Interlocked.Increment(ref _produced);
        return new Reading(_ids[i % _ids.Length], "gas.combustible", "%LEL", (i * 7919 % 1000) / 100.0, Quality.Good, time, time, round + 1);
    }
}
