using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>Readings with recognisable sequence numbers, and helpers to drain a spool.</summary>
internal static class TestReadings
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(8));

    private static readonly ChannelId[] Channels =
    [
        new("site-a", "gas-01", "lel"),
        new("site-a", "tank-07", "level"),
        new("站点-b", "压力-03", "p1"),
        new("site-a", "gas-02", "h2s"),
    ];

    /// <summary>Frame size of a reading from <see cref="Make"/> on channel 0: header 20 + lengths 10 + "site-a" "gas-01" "lel" "gas.combustible" "%LEL" 34 + fixed 38.</summary>
    public const int GasFrameBytes = 20 + 10 + 34 + 38;

    public static Reading Make(long sequence, int channel = 0) =>
        new(Channels[channel % Channels.Length],
            channel % Channels.Length == 1 ? "tank.product_level" : "gas.combustible",
            channel % Channels.Length == 1 ? "mm" : "%LEL",
            sequence * 0.5,
            sequence % 7 == 3 ? Quality.Bad(QualityReason.CommFailure) : Quality.Good,
            Epoch.AddSeconds(sequence),
            Epoch.AddSeconds(sequence).AddMilliseconds(250),
            sequence);

    public static Reading[] Range(long first, int count, int channel = 0) =>
        Enumerable.Range(0, count).Select(i => Make(first + i, channel)).ToArray();

    public static long[] Sequences(IEnumerable<Reading> readings) => readings.Select(r => r.Sequence).ToArray();

    public static long[] Sequences(SpoolBatch? batch) => batch is null ? [] : batch.Readings.ToArray().Select(r => r.Sequence).ToArray();

    public static long[] Span(long first, int count) => Enumerable.Range(0, count).Select(i => first + i).ToArray();

    /// <summary>Takes and accepts everything pending; returns it in order.</summary>
    public static async Task<List<Reading>> DrainAsync(IReadingSpool spool, int batchSize = 1000)
    {
        var all = new List<Reading>();
        while (await spool.TakeAsync(batchSize, TestContext.Current.CancellationToken) is { } batch)
        {
            all.AddRange(batch.Readings.ToArray());
            spool.Accept(batch);
        }

        return all;
    }

    public static async Task<List<Reading>> ReadPendingAsync(IReadingSpool spool)
    {
        var all = new List<Reading>();
        await foreach (var reading in spool.ReadPendingAsync(TestContext.Current.CancellationToken))
        {
            all.Add(reading);
        }

        return all;
    }
}
