using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>Readings of 10,000 channels, in appends of 1,000, and fresh spools in a temp directory.</summary>
internal static class SpoolBenchmarkData
{
    public const int Channels = 10_000;
    public const int AppendSize = 1_000;
    public const int ReadingsPerInvoke = 200_000;
    public const int TakeSize = 5_000;

    public static Reading[] Build(int count)
    {
        var ids = Enumerable.Range(0, Channels).Select(i => new ChannelId($"site-{i / 1000:00}", $"gd-{i:00000}", "ch1")).ToArray();
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8));
        var readings = new Reading[count];
        for (var i = 0; i < readings.Length; i++)
        {
            var time = start.AddTicks(i * 10L);
            readings[i] = new Reading(ids[i % Channels], "gas.combustible", "%LEL", (i * 7919L % 1000) / 100.0, Quality.Good, time, time, i / Channels);
        }

        return readings;
    }

    public static string NewDirectory() =>
        Path.Combine(Path.GetTempPath(), "sg-spool-bench", Guid.NewGuid().ToString("N"));

    public static IReadingSpool Open(string kind, SpoolFsyncPolicy fsync, string directory) => kind switch
    {
        "memory" => new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = 1L << 30 }),
        _ => FileReadingSpool.Open(new FileSpoolOptions { Directory = directory, FsyncPolicy = fsync, MaxBytes = 4L << 30 }),
    };

    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Appends <paramref name="readings"/> from <paramref name="appenders"/> concurrent tasks, each its share in appends of 1,000.</summary>
    public static Task AppendAllAsync(IReadingSpool spool, Reading[] readings, int appenders)
    {
        var share = readings.Length / appenders;
        return Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            for (var offset = a * share; offset < (a + 1) * share; offset += AppendSize)
            {
                await spool.AppendAsync(readings.AsMemory(offset, Math.Min(AppendSize, ((a + 1) * share) - offset)), CancellationToken.None);
            }
        })));
    }

    /// <summary>Takes and accepts until <paramref name="expected"/> readings went through; returns the count.</summary>
    public static async Task<long> DrainAsync(IReadingSpool spool, long expected)
    {
        long taken = 0;
        while (taken < expected)
        {
            var batch = await spool.TakeAsync(TakeSize, CancellationToken.None);
            if (batch is null)
            {
                await spool.WaitForDataAsync(CancellationToken.None);
                continue;
            }

            taken += batch.Count;
            spool.Accept(batch);
        }

        return taken;
    }
}
