using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Spool;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>
/// The real executable killed with SIGKILL under load and started again: a message is acknowledged to the broker
/// only once its readings are durable in the spool, so every reading published is in the spool afterwards —
/// what the dead process had not acknowledged comes again from the broker's persistent session.
/// </summary>
public sealed partial class GatewayKillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sensorgateway-kill-").FullName;
    private readonly int _httpPort = FreePort.Next();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Spool_GatewayKilledMidStreamAndRestarted_EveryPublishedReadingIsStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-kill");
        var topic = $"{site}/gd-01";
        var siteFile = Path.Combine(_folder, "site.yaml");
        await File.WriteAllTextAsync(siteFile, TestSites.OneGasDetector(site, topic), ct);
        const int total = 6000;

        var gateway = Start(siteFile, site);
        try
        {
            await WaitForMetricAsync(_ => true, ct);
            var factory = new MqttClientFactory();
            using var device = factory.CreateMqttClient();
            await device.ConnectAsync(factory.CreateClientOptionsBuilder().WithTcpServer(TestServers.MqttHost, TestServers.MqttPort).Build(), ct);
            var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
            for (var seq = 1; seq <= total; seq++)
            {
                var payload = $$"""{"seq":{{seq}},"ts":"{{t0.AddMilliseconds(seq).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}","readings":[{"channel":"lel","value":{{seq % 20}}}]}""";
                await device.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
                if (seq == total / 3)
                {
                    gateway.Kill(); // SIGKILL: no shutdown, no flush
                    await gateway.WaitForExitAsync(ct);
                    gateway.Dispose();
                    gateway = Start(siteFile, site);
                }
            }

            // The broker hands the restarted gateway everything the dead one had not acknowledged; wait until it is quiet.
            await WaitForMetricAsync(value => value > 0, ct, stableFor: TimeSpan.FromSeconds(2));
            await InterruptAsync(gateway, ct);
            Assert.Equal(0, gateway.ExitCode);
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill();
            }

            gateway.Dispose();
        }

        await using var spool = FileReadingSpool.Open(new FileSpoolOptions { Directory = Path.Combine(_folder, "readings", "spool") });
        var sequences = new List<long>();
        await foreach (var reading in spool.ReadPendingAsync(ct))
        {
            sequences.Add(reading.Sequence);
        }

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), sequences.Distinct().Order());
        Assert.True(sequences.Count - total <= 5000, $"{sequences.Count - total} duplicates: more than one batch resent");
    }

    private Process Start(string siteFile, string clientId)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "sensorgateway.dll"), "run",
                     $"--Gateway:SiteFile={siteFile}", $"--Gateway:HttpUrl=http://127.0.0.1:{_httpPort}", $"--Gateway:GrpcUrl=http://127.0.0.1:{FreePort.Next()}",
                     $"--Mqtt:Host={TestServers.MqttHost}", $"--Mqtt:Port={TestServers.MqttPort}", $"--Mqtt:ClientId={clientId}",
                     "--Storage:Mode=Local", $"--Storage:LocalDirectory={Path.Combine(_folder, "readings")}", "--Logging:LogLevel:Default=Warning",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Polls the readings counter on /metrics until the condition holds and the value has not moved for stableFor.
    private async Task WaitForMetricAsync(Func<long, bool> condition, CancellationToken ct, TimeSpan stableFor = default)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}"), Timeout = TimeSpan.FromSeconds(2) };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        long last = -1;
        var stableSince = Stopwatch.StartNew();
        while (true)
        {
            long? value = null;
            try
            {
                var body = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), limit.Token);
                var match = ReadingsCounter().Match(body);
                value = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (value is { } v)
            {
                if (v != last)
                {
                    last = v;
                    stableSince.Restart();
                }

                if (condition(v) && stableSince.Elapsed >= stableFor)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }

    private static async Task InterruptAsync(Process process, CancellationToken ct)
    {
        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(ct);
        }

        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [GeneratedRegex(@"(?m)^sg_pipeline_readings_total(?:\{[^}]*\})? ([0-9]+)")]
    private static partial Regex ReadingsCounter();
}
