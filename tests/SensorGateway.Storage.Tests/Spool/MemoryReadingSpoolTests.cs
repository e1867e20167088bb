using SensorGateway.Storage.Spool;
using static SensorGateway.Storage.Tests.Spool.TestReadings;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>The memory spool's record-wise quota (the file spool drops whole segments).</summary>
public sealed class MemoryReadingSpoolTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_QuotaFullDropOldest_DropsExactlyTheRecordsNeededOldestFirst()
    {
        await using var spool = new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = 10 * GasFrameBytes });
        var events = new List<SpoolQuotaEventArgs>();
        spool.QuotaExceeded += (_, e) => events.Add(e);
        await spool.AppendAsync(Range(0, 4), Token);

        await spool.AppendAsync(Range(4, 8), Token);

        var dropped = Assert.Single(events);
        Assert.Equal(2, dropped.DroppedRecords);
        Assert.Equal(2, spool.Counters.DroppedOldest);
        Assert.Equal(10 * GasFrameBytes, spool.Counters.StoredBytes);
        Assert.Equal(Span(2, 10), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task AppendAsync_QuotaFullWithRecordsInFlightAndReturned_DropsReturnedFirstAndNeverInFlight()
    {
        await using var spool = new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = 10 * GasFrameBytes });
        await spool.AppendAsync(Range(0, 10), Token);
        var inFlight = (await spool.TakeAsync(3, Token))!;
        var returned = (await spool.TakeAsync(3, Token))!;
        spool.Reject(returned);

        await spool.AppendAsync(Range(10, 4), Token);

        Assert.Equal(4, spool.Counters.DroppedOldest);
        Assert.Equal(Span(0, 3), Sequences(inFlight));
        spool.Accept(inFlight);
        Assert.Equal(Span(7, 7), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = 0 }));

        Assert.Contains("MaxBytes", ex.Message, StringComparison.Ordinal);
    }
}
