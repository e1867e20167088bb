using Microsoft.Extensions.Time.Testing;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;
using static SensorGateway.Storage.Tests.Spool.TestReadings;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>
/// The behaviour every <see cref="IReadingSpool"/> shares (telegraf's <c>buffer_suite_test.go</c>): one subclass
/// per implementation. Quota tests here assert what holds for both (every loss counted, newest kept); the exact
/// numbers of the file spool's segment-wise drops are in <see cref="FileReadingSpoolTests"/>.
/// </summary>
public abstract class ReadingSpoolContractTests : IDisposable
{
    protected FakeTimeProvider Time { get; } = new(Epoch);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new empty spool with the given quota (bytes as the implementation counts them).</summary>
    protected abstract IReadingSpool CreateSpool(long maxBytes = 64L << 20, SpoolFullPolicy policy = SpoolFullPolicy.DropOldest);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public async Task TakeAsync_Empty_ReturnsNull()
    {
        await using var spool = CreateSpool();

        Assert.Null(await spool.TakeAsync(10, Token));
    }

    [Fact]
    public async Task TakeAsync_AfterSeveralAppends_ReturnsEveryReadingInAppendOrder()
    {
        await using var spool = CreateSpool();
        var expected = new List<Reading>();
        for (var i = 0; i < 5; i++)
        {
            var readings = Range(i * 10, 10, channel: i);
            expected.AddRange(readings);
            await spool.AppendAsync(readings, Token);
        }

        var batch = await spool.TakeAsync(100, Token);

        Assert.NotNull(batch);
        Assert.Equal(expected, batch.Readings.ToArray());
        Assert.Equal(batch.FirstRecordId + 49, batch.LastRecordId);
    }

    [Fact]
    public async Task TakeAsync_RoundTrip_KeepsEveryField()
    {
        await using var spool = CreateSpool();
        var reading = new Reading(new ChannelId("站点", "dev 1", "ch/1"), "tank.temperature", "°C", double.NaN,
            Quality.Uncertain(QualityReason.Flatline), new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromMinutes(-210)).AddTicks(9),
            new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero), long.MaxValue);
        await spool.AppendAsync(new[] { reading }, Token);

        var taken = (await spool.TakeAsync(1, Token))!.Readings.Span[0];

        Assert.Equal(reading, taken);
        Assert.Equal(reading.SourceTime.Offset, taken.SourceTime.Offset);
        Assert.Equal(reading.SourceTime.Ticks, taken.SourceTime.Ticks);
    }

    [Fact]
    public async Task TakeAsync_MaxRecords_ReturnsOldestFirstThenTheNext()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);

        var first = await spool.TakeAsync(4, Token);
        var second = await spool.TakeAsync(4, Token);
        var third = await spool.TakeAsync(4, Token);

        Assert.Equal(Span(0, 4), Sequences(first));
        Assert.Equal(Span(4, 4), Sequences(second));
        Assert.Equal(Span(8, 2), Sequences(third));
    }

    [Fact]
    public async Task TakeAsync_RecordsInFlight_AreNotTakenAgain()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);

        var first = await spool.TakeAsync(5, Token);
        var rest = await spool.TakeAsync(100, Token);
        var none = await spool.TakeAsync(100, Token);

        Assert.Equal(Span(0, 5), Sequences(first));
        Assert.Equal(Span(5, 5), Sequences(rest));
        Assert.Null(none);
    }

    [Fact]
    public async Task Reject_FirstOfTwoBatches_ReturnsItToTheHeadBeforeNewerRecords()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        var first = (await spool.TakeAsync(5, Token))!;
        var second = (await spool.TakeAsync(3, Token))!;

        spool.Reject(first);
        var retried = await spool.TakeAsync(100, Token);
        var newer = await spool.TakeAsync(100, Token);

        Assert.Equal(Span(0, 5), Sequences(retried));
        Assert.Equal(Span(8, 2), Sequences(newer));
        spool.Reject(second);
        Assert.Equal(Span(5, 3), Sequences(await spool.TakeAsync(100, Token)));
    }

    [Fact]
    public async Task Reject_ThenTakeFewer_SplitsTheReturnedBatchInOrder()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        spool.Reject((await spool.TakeAsync(10, Token))!);

        var head = await spool.TakeAsync(3, Token);
        var tail = await spool.TakeAsync(100, Token);

        Assert.Equal(Span(0, 3), Sequences(head));
        Assert.Equal(Span(3, 7), Sequences(tail));
    }

    [Fact]
    public async Task Accept_Batch_RemovesItsRecordsForGood()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        var batch = (await spool.TakeAsync(6, Token))!;

        spool.Accept(batch);

        Assert.Equal(Span(6, 4), Sequences(await ReadPendingAsync(spool)));
        Assert.Equal(Span(6, 4), Sequences(await spool.TakeAsync(100, Token)));
        Assert.Null(await spool.TakeAsync(100, Token));
    }

    [Fact]
    public async Task Accept_SameBatchTwice_Throws()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 3), Token);
        var batch = (await spool.TakeAsync(3, Token))!;
        spool.Accept(batch);

        Assert.Throws<InvalidOperationException>(() => spool.Accept(batch));
        Assert.Throws<InvalidOperationException>(() => spool.Reject(batch));
    }

    [Fact]
    public async Task Accept_BatchOfAnotherSpool_Throws()
    {
        await using var spool = CreateSpool();
        await using var other = new MemoryReadingSpool();
        await other.AppendAsync(Range(0, 3), Token);
        var foreign = (await other.TakeAsync(3, Token))!;

        Assert.Throws<InvalidOperationException>(() => spool.Accept(foreign));
    }

    [Fact]
    public async Task Accept_OutOfOrder_RemovesBothBatches()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        var first = (await spool.TakeAsync(4, Token))!;
        var second = (await spool.TakeAsync(4, Token))!;

        spool.Accept(second);
        spool.Accept(first);

        Assert.Equal(Span(8, 2), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task Counters_AfterAppendTakeRejectAccept_AreExact()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        Assert.Equal((10, 0, 10, 0, 0), Summary(spool.Counters));

        var batch = (await spool.TakeAsync(4, Token))!;
        Assert.Equal((10, 4, 10, 0, 0), Summary(spool.Counters));

        spool.Reject(batch);
        Assert.Equal((10, 0, 10, 0, 4), Summary(spool.Counters));

        var retried = (await spool.TakeAsync(6, Token))!;
        Assert.Equal(4, retried.Count);
        spool.Accept(retried);
        Assert.Equal((6, 0, 10, 4, 4), Summary(spool.Counters));

        spool.Accept((await spool.TakeAsync(100, Token))!);
        var counters = spool.Counters;
        Assert.Equal((0, 0, 10, 10, 4), Summary(counters));
        Assert.Equal(0, counters.TotalDropped);

        static (long Pending, long InFlight, long Appended, long Accepted, long Rejected) Summary(SpoolCounters c) =>
            (c.PendingRecords, c.InFlightRecords, c.Appended, c.Accepted, c.Rejected);
    }

    [Fact]
    public async Task Counters_OldestRecordAge_IsNowMinusOldestPendingReceivedTime()
    {
        await using var spool = CreateSpool();
        Assert.Equal(TimeSpan.Zero, spool.Counters.OldestRecordAge);
        await spool.AppendAsync(Range(0, 3), Token);
        Time.SetUtcNow(Make(0).ReceivedTime.AddSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(10), spool.Counters.OldestRecordAge);

        var first = (await spool.TakeAsync(1, Token))!;
        Assert.Equal(TimeSpan.FromSeconds(10), spool.Counters.OldestRecordAge);
        spool.Accept(first);
        Assert.Equal(TimeSpan.FromSeconds(9), spool.Counters.OldestRecordAge);

        spool.Accept((await spool.TakeAsync(2, Token))!);
        Assert.Equal(TimeSpan.Zero, spool.Counters.OldestRecordAge);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppenders_LoseNothingAndKeepEachAppendersOrder()
    {
        await using var spool = CreateSpool();
        const int Appenders = 4;
        const int Appends = 50;
        const int PerAppend = 20;

        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
        {
            for (var i = 0; i < Appends; i++)
            {
                await spool.AppendAsync(Range(i * PerAppend, PerAppend, channel: a), Token);
            }
        }, Token)));
        var all = await DrainAsync(spool, batchSize: 333);

        Assert.Equal(Appenders * Appends * PerAppend, all.Count);
        Assert.Equal(Appenders * Appends * PerAppend, spool.Counters.Appended);
        foreach (var perChannel in all.GroupBy(r => r.Channel.Device + r.Quantity))
        {
            Assert.Equal(Span(0, Appends * PerAppend), Sequences(perChannel));
        }
    }

    [Fact]
    public async Task WaitForDataAsync_Empty_CompletesWhenReadingsAreAppended()
    {
        await using var spool = CreateSpool();
        var wait = spool.WaitForDataAsync(Token).AsTask();
        Assert.False(wait.IsCompleted);

        await spool.AppendAsync(Range(0, 1), Token);

        await wait.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.NotNull(await spool.TakeAsync(1, Token));
    }

    [Fact]
    public async Task WaitForDataAsync_AllInFlight_CompletesWhenABatchIsRejected()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 2), Token);
        var batch = (await spool.TakeAsync(2, Token))!;
        var wait = spool.WaitForDataAsync(Token).AsTask();
        Assert.False(wait.IsCompleted);

        spool.Reject(batch);

        await wait.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task WaitForDataAsync_Cancelled_Throws()
    {
        await using var spool = CreateSpool();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var wait = spool.WaitForDataAsync(cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task ReadPendingAsync_WithBatchesInFlightAndReturned_ReadsEveryPendingRecordInOrder()
    {
        await using var spool = CreateSpool();
        await spool.AppendAsync(Range(0, 10), Token);
        var first = (await spool.TakeAsync(3, Token))!;
        _ = await spool.TakeAsync(3, Token);
        spool.Reject(first);

        var pending = await ReadPendingAsync(spool);

        Assert.Equal(Span(0, 10), Sequences(pending));
        Assert.Equal(10, spool.Counters.PendingRecords);
    }

    [Fact]
    public async Task AppendAsync_QuotaFullDropOldest_CountsEveryDropRaisesTheEventAndKeepsTheNewest()
    {
        await using var spool = CreateSpool(maxBytes: 16 * 1024);
        var events = new List<SpoolQuotaEventArgs>();
        spool.QuotaExceeded += (_, e) => events.Add(e);

        for (var i = 0; i < 100; i++)
        {
            await spool.AppendAsync(Range(i * 10, 10), Token);
        }

        var counters = spool.Counters;
        var delivered = await DrainAsync(spool);
        Assert.True(counters.DroppedOldest > 0);
        Assert.Equal(1000, counters.DroppedOldest + delivered.Count);
        Assert.Equal(counters.DroppedOldest, events.Sum(e => e.DroppedRecords));
        Assert.Equal(Span(1000 - delivered.Count, delivered.Count), Sequences(delivered));
        Assert.True(counters.StoredBytes <= 16 * 1024);
        Assert.All(events, e => Assert.Equal(SpoolFullPolicy.DropOldest, e.Policy));

        await spool.AppendAsync(Range(1000, 5), Token);
        Assert.Equal(Span(1000, 5), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task AppendAsync_QuotaFullRejectNew_RefusesCountsAndKeepsTheStoredRecords()
    {
        await using var spool = CreateSpool(maxBytes: 16 * 1024, policy: SpoolFullPolicy.RejectNew);
        var events = new List<SpoolQuotaEventArgs>();
        spool.QuotaExceeded += (_, e) => events.Add(e);

        var stored = 0;
        SpoolFullException? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            try
            {
                await spool.AppendAsync(Range(i * 10, 10), Token);
                stored += 10;
            }
            catch (SpoolFullException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(10, refused.RejectedRecords);
        await Assert.ThrowsAsync<SpoolFullException>(() => spool.AppendAsync(Range(5000, 3), Token).AsTask());
        Assert.Equal(13, spool.Counters.DroppedNew);
        Assert.Equal([10L, 3L], events.Select(e => e.DroppedRecords));
        Assert.Equal(stored, spool.Counters.PendingRecords);

        Assert.Equal(Span(0, stored), Sequences(await DrainAsync(spool)));
        await spool.AppendAsync(Range(9000, 2), Token);
        Assert.Equal(Span(9000, 2), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task AppendAsync_CrossingTheWarningThreshold_RaisesOneWarning()
    {
        await using var spool = CreateSpool(maxBytes: 64 * 1024);
        var warnings = new List<SpoolQuotaEventArgs>();
        spool.QuotaWarning += (_, e) => warnings.Add(e);

        for (var i = 0; i < 60; i++)
        {
            await spool.AppendAsync(Range(i * 10, 10), Token);
        }

        var warning = Assert.Single(warnings);
        Assert.True(warning.UsedRatio >= 0.8);
        Assert.Equal(0, warning.DroppedRecords);
        Assert.Equal(0, spool.Counters.TotalDropped);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_Throws()
    {
        var spool = CreateSpool();
        await spool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => spool.AppendAsync(Range(0, 1), Token).AsTask());
    }
}

public sealed class MemoryReadingSpoolContractTests : ReadingSpoolContractTests
{
    protected override IReadingSpool CreateSpool(long maxBytes = 64L << 20, SpoolFullPolicy policy = SpoolFullPolicy.DropOldest) =>
        new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = maxBytes, FullPolicy = policy }, Time);
}

public sealed class FileReadingSpoolContractTests : ReadingSpoolContractTests
{
    private readonly TempDirectory _directory = new();

    protected override IReadingSpool CreateSpool(long maxBytes = 64L << 20, SpoolFullPolicy policy = SpoolFullPolicy.DropOldest) =>
        FileReadingSpool.Open(new FileSpoolOptions
        {
            Directory = _directory.Sub(Guid.NewGuid().ToString("N")),
            SegmentBytes = Math.Min(maxBytes / 4, 1L << 20),
            MaxBytes = maxBytes,
            FullPolicy = policy,
        }, Time);

    public override void Dispose()
    {
        _directory.Dispose();
        base.Dispose();
    }
}
