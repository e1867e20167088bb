using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Edge.Mqtt;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Spool;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>
/// Count-and-compare through a database outage: a VictoriaMetrics of the test's own (so it can be stopped) goes
/// away for 30 s while readings keep coming; every reading the gateway acknowledged is in the database after
/// the drain, and duplicates are counted separately.
/// </summary>
public sealed class StorageOutageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vm-outage-").FullName;
    private readonly int _port = FreePort.Next();
    private Process? _database;

    public void Dispose()
    {
        Stop(kill: true);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Readings_VictoriaMetricsDownFor30sUnderLoad_EveryAcknowledgedReadingLandsAfterTheDrain()
    {
        var ct = TestContext.Current.CancellationToken;
        await StartDatabaseAsync(ct);
        var site = TestSites.UniqueId("it-outage");
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", "--Storage:Mode=InfluxV2", $"--Storage:Url=http://127.0.0.1:{_port}",
            "--Storage:Org=test", "--Storage:Bucket=readings", "--Storage:BatchSize=2000", "--Storage:RequestTimeout=00:00:02",
        ], ct);
        await gateway.WhenMqttSubscribedAsync(ct);
        var queue = gateway.Services.GetRequiredService<ReadingQueue>();
        var spool = gateway.Services.GetRequiredService<IReadingSpool>();
        var broker = gateway.Services.GetRequiredService<EmbeddedMqttBroker>();
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        const int total = 12_000;
        var stopped = false;
        await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", broker.Port, ct))
        {
            // About 300 readings/s for 40 s; the database is down from 5 s to 35 s.
            var started = Stopwatch.StartNew();
            for (var seq = 1; seq <= total; seq++)
            {
                await device.PublishReadingAsync(topic, seq, seq % 20, t0.AddMilliseconds(seq * 10), ct);
                if (seq % 30 == 0)
                {
                    // Pace the load; this shapes the test's traffic and asserts nothing about time.
                    var ahead = TimeSpan.FromMilliseconds(seq * 3.3) - started.Elapsed;
                    if (ahead > TimeSpan.Zero)
                    {
                        await Task.Delay(ahead, ct);
                    }
                }

                if (!stopped && started.Elapsed > TimeSpan.FromSeconds(5))
                {
                    Stop(kill: false);
                    stopped = true;
                }
                else if (stopped && _database is null && started.Elapsed > TimeSpan.FromSeconds(35))
                {
                    await StartDatabaseAsync(ct);
                }
            }
        }

        if (_database is null)
        {
            await StartDatabaseAsync(ct);
        }

        await Eventually.ReturnsAsync(_ => Task.FromResult(queue.Enqueued == total ? queue : null), "all readings acknowledged", ct, timeoutSeconds: 60);
        Assert.True(spool.Counters.Appended >= total, $"the spool took {spool.Counters.Appended} of {total}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        var sequences = await Eventually.ReturnsAsync(async token =>
        {
            await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), token);
            var stored = await ExportSequencesAsync(http, site, t0, token);
            return stored.Distinct().Count() == total ? stored : null;
        }, "every reading in VictoriaMetrics", ct, timeoutSeconds: 120);

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), sequences.Distinct().Order());
        Assert.True(sequences.Count - total <= 2000, $"{sequences.Count - total} duplicates: more than one batch was resent");
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(0, spool.Counters.DroppedOldest + spool.Counters.DroppedNew);
    }

    private static async Task<List<long>> ExportSequencesAsync(HttpClient http, string site, DateTimeOffset t0, CancellationToken ct)
    {
        var match = Uri.EscapeDataString($"reading_seq{{site=\"{site}\"}}");
        var body = await http.GetStringAsync(new Uri($"api/v1/export?match[]={match}&start={t0.AddMinutes(-1).ToUnixTimeSeconds()}&end={t0.AddMinutes(5).ToUnixTimeSeconds()}", UriKind.Relative), ct);
        var sequences = new List<long>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var series = JsonDocument.Parse(line);
            sequences.AddRange(series.RootElement.GetProperty("values").EnumerateArray().Select(v => (long)v.GetDouble()));
        }

        return sequences;
    }

    private async Task StartDatabaseAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("victoria-metrics",
            [$"-httpListenAddr=127.0.0.1:{_port}", $"-storageDataPath={_folder}", "-retentionPeriod=1", "-search.latencyOffset=0s"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _database = Process.Start(start) ?? throw new InvalidOperationException("victoria-metrics did not start: run the tests through scripts/test.sh, which installs it.");
        _database.BeginOutputReadLine();
        _database.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, _port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }

        throw new TimeoutException("victoria-metrics did not listen within 10 s");
    }

    private void Stop(bool kill)
    {
        if (_database is { HasExited: false } database)
        {
            if (kill)
            {
                database.Kill();
            }
            else
            {
                using var term = Process.Start("kill", ["-TERM", database.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                term.WaitForExit();
            }

            database.WaitForExit();
        }

        _database?.Dispose();
        _database = null;
    }
}
