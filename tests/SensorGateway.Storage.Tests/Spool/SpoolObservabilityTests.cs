using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Core.Pipeline;
using SensorGateway.Storage.Spool;
using static SensorGateway.Storage.Tests.Spool.TestReadings;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>Runtime corruption, metrics and the pipeline sink adapter.</summary>
public sealed class SpoolObservabilityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(Epoch);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TakeAsync_RecordDamagedAfterOpen_CountsItOnceAndDeliversTheRest()
    {
        var options = new FileSpoolOptions { Directory = Path.Combine(_temp.Path, "rot") };
        await using var spool = FileReadingSpool.Open(options, _time);
        await spool.AppendAsync(Range(0, 30), Token);
        var segment = Directory.GetFiles(options.Directory, "*.seg").Single();
        using (var stream = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Position = 16 + (20 * GasFrameBytes) + 50;
            stream.WriteByte(0xFF);
        }

        var delivered = Sequences(await DrainAsync(spool));

        Assert.Equal([.. Span(0, 20), .. Span(21, 9)], delivered);
        Assert.Equal(1, spool.Counters.CorruptSkipped);
        Assert.Equal(1, spool.Counters.Dropped(SpoolDropReason.Corrupt));
        Assert.Equal(0, spool.Counters.PendingRecords);
    }

    [Fact]
    public async Task Meter_AfterAppendsAndDrops_PublishesDepthAndDropsByReason()
    {
        using var meterFactory = new TestMeterFactory();
        await using var spool = new MemoryReadingSpool(new MemorySpoolOptions { MaxBytes = 10 * GasFrameBytes, FullPolicy = SpoolFullPolicy.RejectNew },
            _time, meterFactory: meterFactory);
        await spool.AppendAsync(Range(0, 4), Token);
        await Assert.ThrowsAsync<SpoolFullException>(() => spool.AppendAsync(Range(4, 7), Token).AsTask());
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this test's meter: spools of tests running in parallel publish instruments of the same name.
                if (instrument.Meter.Name == "SensorGateway.Spool" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[Key(instrument, tags)] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => values[Key(instrument, tags)] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(4, values["sensorgateway.spool.pending"]);
        Assert.Equal(4 * GasFrameBytes, values["sensorgateway.spool.stored"]);
        Assert.Equal(4, values["sensorgateway.spool.appended"]);
        Assert.Equal(7, values["sensorgateway.spool.dropped/quota_reject_new"]);
        Assert.Equal(0, values["sensorgateway.spool.dropped/corrupt"]);
        Assert.Equal(0.4, values["sensorgateway.spool.usage"], 6);

        static string Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    return instrument.Name + "/" + tag.Value;
                }
            }

            return instrument.Name;
        }
    }

    [Fact]
    public async Task AcceptAsync_ThroughTheSink_AppendsToTheSpool()
    {
        await using var spool = new MemoryReadingSpool(timeProvider: _time);
        IReadingSink sink = new SpoolReadingSink(spool);

        await sink.AcceptAsync(Range(0, 3), Token);
        await sink.FlushAsync(Token);

        Assert.Equal(Span(0, 3), Sequences(await DrainAsync(spool)));
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
