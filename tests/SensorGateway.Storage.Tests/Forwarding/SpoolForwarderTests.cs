using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;
using SensorGateway.Storage.Spool;
using SensorGateway.Storage.Tests.Spool;

namespace SensorGateway.Storage.Tests.Forwarding;

/// <summary>The forwarder keeps as many batches in flight as it is told, and every reading lands exactly once.</summary>
public sealed class SpoolForwarderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Forward_WritesInFlight_ThatManyBatchesAtOnceAndEveryReadingOnce(int writesInFlight)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var spool = new MemoryReadingSpool();
        await spool.AppendAsync(TestReadings.Range(1, 400), ct);
        var database = new RendezvousDatabase(writesInFlight);
        using var folder = new TempDirectory();
        using var forwarder = new SpoolForwarder(spool, database, new QuarantineFile(folder.Path, new LineProtocol("test"), TimeProvider.System),
            batchSize: 100, TimeProvider.System, NullLogger<SpoolForwarder>.Instance, writesInFlight);

        await forwarder.StartAsync(ct);
        await database.Landed(400).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await forwarder.StopAsync(ct);

        Assert.Equal(writesInFlight, database.MostAtOnce);
        Assert.Equal(TestReadings.Span(1, 400), database.Sequences.Order());
        Assert.Equal(0, spool.Counters.PendingRecords);
    }

    // Holds each write until writesInFlight writes are under way together, so the test sees the concurrency itself.
    private sealed class RendezvousDatabase(int expected) : IReadingSink
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TaskCompletionSource> _waiting = [];
        private int _landedTarget = int.MaxValue;

        public ConcurrentBag<long> Sequences { get; } = [];

        public int MostAtOnce { get; private set; }

        public Task Landed(int count)
        {
            lock (_gate)
            {
                _landedTarget = count;
                CompleteIfLandedLocked();
            }

            return _all.Task;
        }

        public async ValueTask AcceptAsync(ReadOnlyMemory<Reading> batch, CancellationToken cancellationToken)
        {
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiting.Add(turn);
                MostAtOnce = Math.Max(MostAtOnce, _waiting.Count);
                if (_waiting.Count == expected)
                {
                    _waiting.ForEach(w => w.TrySetResult());
                    _waiting.Clear();
                }
            }

            await turn.Task.WaitAsync(cancellationToken);
            lock (_gate)
            {
                foreach (var reading in batch.Span)
                {
                    Sequences.Add(reading.Sequence);
                }

                CompleteIfLandedLocked();
            }
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        private void CompleteIfLandedLocked()
        {
            if (Sequences.Count >= _landedTarget)
            {
                _all.TrySetResult();
            }
        }
    }
}
