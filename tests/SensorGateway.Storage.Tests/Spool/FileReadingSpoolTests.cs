using Microsoft.Extensions.Time.Testing;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;
using static SensorGateway.Storage.Tests.Spool.TestReadings;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>
/// What only the file spool does: survive restarts and crashes, detect torn and corrupt records, roll and delete
/// segments, and drop whole segments at the quota.
/// </summary>
public sealed class FileReadingSpoolTests : IDisposable
{
    private const int SegmentHeader = 16;
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(Epoch);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Open_AfterDispose_KeepsPendingAndInFlightAndDropsAccepted()
    {
        var options = Options("reopen");
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 100), Token);
            spool.Accept((await spool.TakeAsync(30, Token))!);
            _ = await spool.TakeAsync(20, Token);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);

        Assert.Equal(70, reopened.Recovery.PendingRecords);
        Assert.Equal(70, reopened.Counters.PendingRecords);
        Assert.Empty(reopened.Recovery.CorruptRegions);
        Assert.Null(reopened.Recovery.TornTail);
        Assert.Equal(Span(30, 70), Sequences(await DrainAsync(reopened)));
    }

    [Fact]
    public async Task TakeAsync_ReadBackFromDisk_EqualReadingsWithOneInstancePerRepeatedText()
    {
        var options = Options("shared-texts");
        var longUnit = new string('µ', 300); // 600 bytes of UTF-8: past the decoder's stack buffer
        Reading[] written =
        [
            .. Range(0, 3, channel: 0), .. Range(3, 3, channel: 2), .. Range(6, 3, channel: 3),
            Make(9) with { Unit = longUnit }, Make(10, channel: 3) with { Unit = longUnit },
        ];
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(written, Token);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);
        var read = await DrainAsync(reopened);

        Assert.Equal(written, read);
        Assert.Same(read[0].Channel.Site, read[6].Channel.Site); // site-a of gas-01 and gas-02
        Assert.Same(read[0].Channel.Channel, read[9].Channel.Channel); // lel of gas-01, twice
        Assert.Same(read[0].Quantity, read[6].Quantity);
        Assert.Same(read[0].Unit, read[6].Unit);
        Assert.Same(read[9].Unit, read[10].Unit);
    }

    [Fact]
    public async Task Open_AfterReopenAndAppend_ContinuesRecordIdsAndOrder()
    {
        var options = Options("ids");
        long lastId;
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 10), Token);
            var batch = (await spool.TakeAsync(10, Token))!;
            lastId = batch.LastRecordId;
            spool.Accept(batch);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);
        await reopened.AppendAsync(Range(10, 5), Token);
        var next = (await reopened.TakeAsync(10, Token))!;

        Assert.Equal(lastId + 1, next.FirstRecordId);
        Assert.Equal(Span(10, 5), Sequences(next));
    }

    [Fact]
    public async Task Open_DirectoryAlreadyOpen_ThrowsIOException()
    {
        var options = Options("locked");
        await using var spool = FileReadingSpool.Open(options, _time);

        var ex = Assert.Throws<IOException>(() => FileReadingSpool.Open(options, _time));
        Assert.Contains("in use", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CopyOfDirectoryTakenMidRun_DeliversEveryAcknowledgedRecordAndResendsOnlyTheBatchInFlight()
    {
        var options = Options("live");
        await using var spool = FileReadingSpool.Open(options, _time);
        await spool.AppendAsync(Range(0, 500), Token);
        spool.Accept((await spool.TakeAsync(200, Token))!);
        var inFlight = (await spool.TakeAsync(100, Token))!;
        await spool.AppendAsync(Range(500, 50), Token);

        // A crash: the files as they are now, with the spool still open and nothing flushed at close.
        var crashed = CopySpool(options.Directory, "crashed");
        await using var recovered = FileReadingSpool.Open(Options(crashed), _time);

        Assert.Equal(350, recovered.Recovery.PendingRecords);
        Assert.Equal(Span(200, 350), Sequences(await DrainAsync(recovered)));
        Assert.Equal(Span(200, 100), Sequences(inFlight));
    }

    [Fact]
    public async Task Open_TornTailAtEveryOffsetOfTheLastRecord_TruncatesItAndDeliversEveryCompleteRecord()
    {
        var source = Options("torn-source");
        await using (var spool = FileReadingSpool.Open(source, _time))
        {
            await spool.AppendAsync(Range(0, 20), Token);
        }

        var segment = Assert.Single(SegmentsWithRecords(source.Directory));
        var length = new FileInfo(segment).Length;
        Assert.Equal(SegmentHeader + (20 * GasFrameBytes), length);
        var lastFrame = length - GasFrameBytes;

        for (var cut = lastFrame; cut < length; cut++)
        {
            var copy = CopySpool(source.Directory, $"torn-{cut}");
            using (var stream = new FileStream(Path.Combine(copy, Path.GetFileName(segment)), FileMode.Open))
            {
                stream.SetLength(cut);
            }

            await using var spool = FileReadingSpool.Open(Options(copy), _time);

            Assert.Equal(cut == lastFrame ? null : new SpoolTornTail(Path.GetFileName(segment), lastFrame, cut - lastFrame), spool.Recovery.TornTail);
            Assert.Empty(spool.Recovery.CorruptRegions);
            Assert.Equal(19, spool.Counters.PendingRecords);
            await spool.AppendAsync(Range(100, 1), Token);
            var drained = Sequences(await DrainAsync(spool));
            Assert.Equal([.. Span(0, 19), 100L], drained);
        }
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(5)] // payload length
    [InlineData(9)] // record id
    [InlineData(17)] // checksum
    [InlineData(22)] // a string length inside the payload
    [InlineData(60)] // a string byte
    [InlineData(GasFrameBytes - 3)] // the sequence number
    public async Task Open_FlippedByteInAMiddleRecord_ReportsItSkipsItAndDeliversEveryOtherRecord(int offsetInFrame)
    {
        var options = Options("flip");
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 30), Token);
        }

        var segment = Assert.Single(SegmentsWithRecords(options.Directory));
        var damaged = SegmentHeader + (10 * GasFrameBytes);
        FlipByte(segment, damaged + offsetInFrame);

        await using var reopened = FileReadingSpool.Open(options, _time);

        var region = Assert.Single(reopened.Recovery.CorruptRegions);
        Assert.Equal(new SpoolCorruptRegion(Path.GetFileName(segment), damaged, GasFrameBytes, 1), region);
        Assert.Null(reopened.Recovery.TornTail);
        Assert.Equal(29, reopened.Recovery.PendingRecords);
        Assert.Equal(1, reopened.Counters.CorruptSkipped);
        var drained = Sequences(await DrainAsync(reopened));
        Assert.Equal([.. Span(0, 10), .. Span(11, 19)], drained);
        Assert.Equal(1, reopened.Counters.CorruptSkipped);
        Assert.Equal(0, reopened.Counters.PendingRecords);
    }

    [Fact]
    public async Task Open_CorruptRecordAndTornTail_ReportsBothAndDeliversEveryOtherCompleteRecord()
    {
        var options = Options("both");
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 30), Token);
        }

        var segment = Assert.Single(SegmentsWithRecords(options.Directory));
        FlipByte(segment, SegmentHeader + (4 * GasFrameBytes) + 40);
        FlipByte(segment, SegmentHeader + (5 * GasFrameBytes) + 40);
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - 7);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);

        Assert.Equal(2, Assert.Single(reopened.Recovery.CorruptRegions).LostRecords);
        Assert.Equal(GasFrameBytes - 7, reopened.Recovery.TornTail!.Length);
        var drained = Sequences(await DrainAsync(reopened));
        Assert.Equal([.. Span(0, 4), .. Span(6, 23)], drained);
    }

    [Fact]
    public async Task Open_DamageAtTheEndOfASealedSegment_CountsTheLostRecordsFromTheNextSegmentsFirstId()
    {
        var options = Options("sealed-end", segmentBytes: 4096);
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            for (var i = 0; i < 10; i++)
            {
                await spool.AppendAsync(Range(i * 10, 10), Token);
            }
        }

        var first = SegmentsWithRecords(options.Directory)[0];
        var recordsInFirst = (int)((new FileInfo(first).Length - SegmentHeader) / GasFrameBytes);
        FlipByte(first, new FileInfo(first).Length - 5);

        await using var reopened = FileReadingSpool.Open(options, _time);

        Assert.Equal(1, Assert.Single(reopened.Recovery.CorruptRegions).LostRecords);
        Assert.Null(reopened.Recovery.TornTail);
        var delivered = Sequences(await DrainAsync(reopened));
        Assert.Equal([.. Span(0, recordsInFirst - 1), .. Span(recordsInFirst, 100 - recordsInFirst)], delivered);
    }

    [Fact]
    public async Task Open_CursorDamaged_TreatsEverythingFoundAsPending()
    {
        var options = Options("cursor");
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 10), Token);
            spool.Accept((await spool.TakeAsync(4, Token))!);
        }

        FlipByte(Path.Combine(options.Directory, "cursor"), 9);
        await using var reopened = FileReadingSpool.Open(options, _time);

        Assert.True(reopened.Recovery.CursorMissing);
        Assert.Equal(Span(0, 10), Sequences(await DrainAsync(reopened)));
    }

    [Fact]
    public async Task AppendAsync_PastSegmentSize_RollsSegmentsAndAcceptDeletesThem()
    {
        var options = Options("roll", segmentBytes: 4096);
        await using var spool = FileReadingSpool.Open(options, _time);
        for (var i = 0; i < 20; i++)
        {
            await spool.AppendAsync(Range(i * 10, 10), Token);
        }

        // A segment takes 4 appends of 10: 16 + 40 × 102 = 4096 bytes, exactly SegmentBytes.
        Assert.Equal(5, SegmentFiles(options.Directory).Length);
        Assert.Equal(SegmentFiles(options.Directory).Sum(f => new FileInfo(f).Length), spool.Counters.StoredBytes);
        Assert.All(SegmentFiles(options.Directory), f => Assert.True(new FileInfo(f).Length <= 4096));

        var firstHalf = (await spool.TakeAsync(100, Token))!;
        spool.Accept(firstHalf);
        Assert.Equal(3, SegmentFiles(options.Directory).Length); // 0–39 and 40–79 deleted; 80–119 still holds 100–119.

        Assert.Equal(Span(100, 100), Sequences(await DrainAsync(spool)));
        Assert.Single(SegmentFiles(options.Directory));
        Assert.Equal(4096, spool.Counters.StoredBytes);
    }

    [Fact]
    public async Task AppendAsync_QuotaFullDropOldest_DropsWholeOldestSegmentsWithAnExactCount()
    {
        var options = Options("quota", segmentBytes: 4096, maxBytes: 16384);
        await using var spool = FileReadingSpool.Open(options, _time);
        var events = new List<SpoolQuotaEventArgs>();
        spool.QuotaExceeded += (_, e) => events.Add(e);

        for (var i = 0; i < 30; i++)
        {
            await spool.AppendAsync(Range(i * 10, 10), Token);
        }

        // A segment holds 4 appends of 10 (16 + 40 × 102 = 4096 bytes), so 16 appends fill the quota exactly.
        // The 17th rolls to a fifth segment and drops the first; so do the 21st, 25th and 29th: 4 drops of 40.
        Assert.Equal([40L, 40L, 40L, 40L], events.Select(e => e.DroppedRecords));
        Assert.Equal(160, spool.Counters.DroppedOldest);
        Assert.All(events, e => Assert.Equal(16384, e.MaxBytes));
        Assert.True(spool.Counters.StoredBytes <= 16384);
        Assert.Equal(Span(160, 140), Sequences(await DrainAsync(spool)));

        await spool.AppendAsync(Range(300, 10), Token);
        Assert.Equal(Span(300, 10), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task AppendAsync_QuotaFullWithABatchInFlight_DeliversItAndCountsOnlyTheUnsentDrops()
    {
        var options = Options("quota-inflight", segmentBytes: 4096, maxBytes: 16384);
        await using var spool = FileReadingSpool.Open(options, _time);
        await spool.AppendAsync(Range(0, 10), Token);
        var inFlight = (await spool.TakeAsync(5, Token))!;

        for (var i = 1; i < 20; i++)
        {
            await spool.AppendAsync(Range(i * 10, 10), Token);
        }

        // The 17th append drops the first segment (ids 0–39): the 5 in flight stay deliverable, 35 are dropped.
        Assert.Equal(Span(0, 5), Sequences(inFlight));
        spool.Accept(inFlight);
        var counters = spool.Counters;
        var delivered = Sequences(await DrainAsync(spool));

        Assert.Equal(35, counters.DroppedOldest);
        Assert.Equal(Span(40, 160), delivered);
        Assert.Equal(200, 5 + counters.DroppedOldest + delivered.Length);
    }

    [Fact]
    public async Task AppendAsync_QuotaFullRejectNew_SpoolRecoversAfterTheBacklogIsAccepted()
    {
        var options = Options("reject", segmentBytes: 4096, maxBytes: 16384, policy: SpoolFullPolicy.RejectNew);
        await using var spool = FileReadingSpool.Open(options, _time);
        var refused = 0;
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await spool.AppendAsync(Range(i * 10, 10), Token);
            }
            catch (SpoolFullException ex)
            {
                refused += ex.RejectedRecords;
            }
        }

        Assert.Equal(refused, spool.Counters.DroppedNew);
        Assert.Equal(300 - refused, spool.Counters.PendingRecords);
        Assert.Equal(140, refused); // 16 appends of 1020 bytes in 4096-byte segments fill 16384 bytes exactly.

        Assert.Equal(Span(0, 160), Sequences(await DrainAsync(spool)));
        await spool.AppendAsync(Range(1000, 10), Token);
        Assert.Equal(Span(1000, 10), Sequences(await DrainAsync(spool)));
    }

    [Theory]
    [InlineData(SpoolFsyncPolicy.Always)]
    [InlineData(SpoolFsyncPolicy.GroupCommit)]
    [InlineData(SpoolFsyncPolicy.Never)]
    public async Task AppendAsync_EachFsyncPolicy_StoresConcurrentAppendsThatSurviveReopen(SpoolFsyncPolicy policy)
    {
        var options = Options($"fsync-{policy}", segmentBytes: 8192);
        options.FsyncPolicy = policy;
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(a => Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    await spool.AppendAsync(Range(i * 10, 10, channel: a), Token);
                }
            }, Token)));
            Assert.Equal(400, spool.Counters.Appended);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);
        var all = await DrainAsync(reopened);

        Assert.Equal(400, all.Count);
        Assert.All(all.GroupBy(r => r.Channel), g => Assert.Equal(Span(0, 100), Sequences(g)));
    }

    [Fact]
    public async Task AppendAsync_GroupCommitInterval_WaitsOnTheInjectedClockBeforeTheNextFsync()
    {
        var options = Options("interval");
        options.GroupCommitInterval = TimeSpan.FromMilliseconds(100);
        await using var spool = FileReadingSpool.Open(options, _time);
        await spool.AppendAsync(Range(0, 1), Token);

        var second = spool.AppendAsync(Range(1, 1), Token).AsTask();
        Assert.False(second.IsCompleted);

        // The writer may start its wait before or after a given Advance; stepping the clock covers both.
        for (var step = 0; step < 100_000 && !second.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }

        await second.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(Span(0, 2), Sequences(await DrainAsync(spool)));
    }

    [Fact]
    public async Task ReadPendingAsync_AfterReopen_ExportsEveryPendingRecordInOrderWithoutTakingThem()
    {
        var options = Options("export", segmentBytes: 4096);
        await using (var spool = FileReadingSpool.Open(options, _time))
        {
            await spool.AppendAsync(Range(0, 100), Token);
            spool.Accept((await spool.TakeAsync(10, Token))!);
        }

        await using var reopened = FileReadingSpool.Open(options, _time);

        Assert.Equal(Span(10, 90), Sequences(await ReadPendingAsync(reopened)));
        Assert.Equal(90, reopened.Counters.PendingRecords);
        Assert.Equal(Span(10, 90), Sequences(await DrainAsync(reopened)));
    }

    [Theory]
    [InlineData("Directory", "")]
    [InlineData("SegmentBytes", "100")]
    [InlineData("MaxBytes", "1000")]
    [InlineData("GroupCommitInterval", "00:00:02")]
    [InlineData("WarningThreshold", "1.5")]
    public void Open_InvalidOption_ThrowsNamingTheField(string field, string value)
    {
        var options = Options("invalid");
        switch (field)
        {
            case "Directory": options.Directory = value; break;
            case "SegmentBytes": options.SegmentBytes = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "MaxBytes": options.MaxBytes = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "GroupCommitInterval": options.GroupCommitInterval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "WarningThreshold": options.WarningThreshold = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var ex = Assert.Throws<ArgumentException>(() => FileReadingSpool.Open(options, _time));

        Assert.Contains($"Spool:{field}", ex.Message, StringComparison.Ordinal);
        Assert.Single(options.Validate());
    }

    [Fact]
    public void Validate_Defaults_HasNoErrors() => Assert.Empty(new FileSpoolOptions().Validate());

    private FileSpoolOptions Options(string name, long segmentBytes = 1 << 20, long maxBytes = 64L << 20,
        SpoolFullPolicy policy = SpoolFullPolicy.DropOldest) =>
        new()
        {
            Directory = Path.IsPathRooted(name) ? name : Path.Combine(_temp.Path, name),
            SegmentBytes = segmentBytes,
            MaxBytes = maxBytes,
            FullPolicy = policy,
        };

    private static string[] SegmentFiles(string directory) =>
        Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal).ToArray();

    private static string[] SegmentsWithRecords(string directory) =>
        SegmentFiles(directory).Where(f => new FileInfo(f).Length > SegmentHeader).ToArray();

    private string CopySpool(string directory, string name)
    {
        var target = _temp.Sub(name);
        foreach (var file in Directory.GetFiles(directory).Where(f => !f.EndsWith("spool.lock", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x5A));
    }
}
