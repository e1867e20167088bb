using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Edge.Mqtt;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;
using SensorGateway.Storage.Spool;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>
/// Count-and-compare through a database outage: a database of the test's own (so it can be stopped) goes away for
/// 30 s while readings keep coming; every reading the gateway acknowledged is in the database after the drain, and
/// duplicates are counted separately. One body, run against each kind of database the gateway writes to.
/// </summary>
public sealed class StorageOutageTests
{
    private const int Total = 12_000;
    private const int BatchSize = 2000;

    // About 300 readings/s for 40 s; the database is down from 5 s for 30 s (issue 6), restarted while load continues.
    private static readonly TimeSpan s_perReading = TimeSpan.FromMilliseconds(3.3);
    private static readonly TimeSpan s_outageStarts = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(OutageDatabase.VictoriaMetrics)]
    [InlineData(OutageDatabase.InfluxDb1)]
    public async Task Readings_DatabaseDownFor30sUnderLoad_EveryAcknowledgedReadingLandsAfterTheDrain(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = OutageDatabase.Create(kind);
        var site = TestSites.UniqueId("it-outage");
        var topic = $"{site}/gd-01";
        await database.StartAsync(site, ct);
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", $"--Storage:BatchSize={BatchSize}", "--Storage:RequestTimeout=00:00:02",
            .. database.GatewaySettings(site),
        ], ct);
        await gateway.WhenMqttSubscribedAsync(ct);
        var queue = gateway.Services.GetRequiredService<ReadingQueue>();
        var spool = gateway.Services.GetRequiredService<IReadingSpool>();
        var forwarder = gateway.Services.GetRequiredService<SpoolForwarder>();
        var broker = gateway.Services.GetRequiredService<EmbeddedMqttBroker>();
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());

        await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", broker.Port, ct))
        {
            var load = Stopwatch.StartNew();
            Stopwatch? down = null;
            for (var seq = 1; seq <= Total; seq++)
            {
                await device.PublishReadingAsync(topic, seq, seq % 20, t0.AddMilliseconds(seq * 10), ct);
                if (seq % 30 == 0)
                {
                    // Pace the load; this shapes the test's traffic and asserts nothing about time.
                    var ahead = (s_perReading * seq) - load.Elapsed;
                    if (ahead > TimeSpan.Zero)
                    {
                        await Task.Delay(ahead, ct);
                    }
                }

                if (down is null && load.Elapsed > s_outageStarts)
                {
                    await database.Server.StopAsync(ct);
                    down = Stopwatch.StartNew();
                }
                else if (down is not null && !database.Server.IsRunning && down.Elapsed >= s_outage)
                {
                    await database.Server.StartAsync(ct);
                }
            }

            // The load ends after the outage does; should a slow machine have published faster than paced, the
            // outage still lasts its full 30 s.
            if (down is not null && !database.Server.IsRunning)
            {
                await Task.Delay(s_outage - down.Elapsed is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero, ct);
                await database.Server.StartAsync(ct);
            }
        }

        await Eventually.ReturnsAsync(_ => Task.FromResult(queue.Enqueued == Total ? queue : null), "all readings acknowledged", ct, timeoutSeconds: 60);
        Assert.True(spool.Counters.Appended >= Total, $"the spool took {spool.Counters.Appended} of {Total}");
        var sequences = await Eventually.ReturnsAsync(async token =>
        {
            var stored = await database.StoredSequencesAsync(site, t0, token);
            return stored.Distinct().Count() == Total ? stored : null;
        }, $"every reading in {kind}", ct, timeoutSeconds: 120);

        // Acknowledged ⊆ stored; repeats counted apart — in the database, and as writes the database confirmed twice.
        // A write that timed out after the database took it is resent: at most the batches that were in flight.
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), sequences.Distinct().Order());
        var resendBound = new StorageOptions().WritesInFlight * BatchSize;
        var storedTwice = sequences.Count - Total;
        var confirmedTwice = forwarder.Written - Total;
        Assert.True(storedTwice <= resendBound, $"{storedTwice} duplicates stored: more than the batches in flight were resent");
        Assert.InRange(confirmedTwice, 0, resendBound);
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(0, spool.Counters.DroppedOldest + spool.Counters.DroppedNew);
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: {Total} acknowledged, all stored; {storedTwice} stored twice, {confirmedTwice} confirmed twice");
    }
}
