using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using SensorGateway.Host.Pipeline;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Host.Demo;

/// <summary>
/// Plays the demo's sites against the gateway itself, all on one scenario clock: MQTT devices publish to the gateway's
/// broker (embedded, or the configured external one), Modbus devices are served on the ports of their site files, and
/// the gateway polls them like real ones. Writes a live summary per site, every hazard record as it opens, and a
/// report per site at the end.
/// </summary>
internal sealed class DemoSimulatorService(
    IReadOnlyList<DemoSite> sites,
    FirmwareProfileCatalog profiles,
    IOptions<DemoOptions> options,
    IOptions<MqttIngestOptions> mqtt,
    EmbeddedMqttBroker broker,
    HazardEventLog hazards,
    ReadingPipeline pipeline,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoSimulatorService> logger) : BackgroundService
{
    private readonly DemoTally _tally = new(pipeline.AcceptedByChannel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var clock = new ScenarioClock(time, demo.Speed);
        var (host, port) = mqtt.Value.UsesEmbeddedBroker ? ("127.0.0.1", broker.Port) : (mqtt.Value.Host!, mqtt.Value.Port);
        var simulators = new List<(DemoSite Demo, SiteSimulator Simulator)>();
        try
        {
            foreach (var site in sites)
            {
                var simulator = new SiteSimulator(SimulatedSite.Build(site.Site, profiles.Profiles, site.Scenario), clock,
                    new SiteSimulatorOptions { MqttHost = host, MqttPort = port });
                simulators.Add((site, simulator));
                if (!await TryStartAsync(site, simulator, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            await PlayAsync(simulators, clock, host, port, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (_, simulator) in simulators)
            {
                await simulator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task PlayAsync(List<(DemoSite Demo, SiteSimulator Simulator)> simulators, ScenarioClock clock, string host, int port, CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var duration = sites.Max(s => s.Scenario.Duration);
        DemoLog.Playing(logger, sites.Count, duration.TotalSeconds, demo.Speed, host, port);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var background = new[]
        {
            WatchHazardsAsync(watching.Token),
            SummarizeAsync(clock, demo.SummaryInterval, watching.Token),
            demo.Follow ? AfterAsync(clock.WaitUntilAsync(duration, watching.Token), () => DemoLog.Following(logger)) : Task.CompletedTask,
        };
        if (demo.StopAfter > TimeSpan.Zero)
        {
            _ = AfterAsync(Task.Delay(demo.StopAfter, time, stoppingToken), lifetime.StopApplication);
        }

        try
        {
            await Task.WhenAll(simulators.Select(s => s.Simulator.RunAsync(demo.Follow ? null : s.Demo.Scenario.Duration, stoppingToken))).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                // Let the last readings reach the engine before the report.
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C: report what happened so far.
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(background).ConfigureAwait(false);
            Report(simulators, demo.Follow ? clock.Elapsed : TimeSpan.FromTicks(Math.Min(clock.Elapsed.Ticks, duration.Ticks)));
        }

        if (!demo.Follow && !stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
        }
    }

    // The shipped sites serve Modbus on fixed loopback ports, as their site files say; a second demo on the machine holds them.
    private async Task<bool> TryStartAsync(DemoSite demo, SiteSimulator simulator, CancellationToken stoppingToken)
    {
        try
        {
            await simulator.StartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            DemoLog.ModbusUnavailable(logger, demo.Site.Id, ex.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return false;
        }

        var modbus = simulator.Modbus.Endpoints.Values.Distinct().Select(e => e.ToString()).ToList();
        DemoLog.SiteStarted(logger, demo.Site.Id, demo.Site.Name, demo.Scenario.Name, demo.Site.Devices.Count,
            modbus.Count == 0 ? "none over Modbus" : $"{simulator.Modbus.DeviceCount} over Modbus ({string.Join(" and ", modbus)})",
            simulator.Mqtt.DeviceCount, demo.Scenario.Description);
        return true;
    }

    private async Task WatchHazardsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var subscription = hazards.Subscribe(hazards.LastSequence);
            await foreach (var e in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _tally.Add(e);
                if (e.Kind == HazardEventKind.RecordOpened && e.Record is { } record)
                {
                    DemoLog.RecordOpened(logger, record.Id, $"{record.Site}/{record.Device}/{record.Channel}", record.Location, record.Value, record.Unit, record.Limit);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The demo ended.
        }
    }

    private async Task SummarizeAsync(ScenarioClock clock, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                foreach (var demo in sites)
                {
                    var tally = _tally.Of(demo.Site);
                    DemoLog.Summary(logger, (int)clock.Elapsed.TotalSeconds, demo.Site.Id, tally.Readings, tally.DevicesHeard, demo.Site.Devices.Count,
                        tally.Raised, tally.Escalated, tally.Records);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The demo ended.
        }
    }

    private void Report(List<(DemoSite Demo, SiteSimulator Simulator)> simulators, TimeSpan played)
    {
        DemoLog.Report(logger, (int)played.TotalSeconds, sites.Count, pipeline.Accepted, simulators.Sum(s => s.Simulator.Mqtt.Published),
            simulators.Sum(s => s.Simulator.Modbus.Requests));
        foreach (var demo in sites)
        {
            var tally = _tally.Of(demo.Site);
            var missing = _tally.Missing(demo);
            DemoLog.SiteReport(logger, demo.Site.Id, demo.Scenario.Name, tally.Readings, tally.DevicesHeard, demo.Site.Devices.Count,
                tally.ChannelsHeard, demo.Site.Channels.Count(), tally.Raised, tally.Escalated, tally.Records,
                demo.Scenario.ExpectedAlarms.Count - missing.Count, demo.Scenario.ExpectedAlarms.Count,
                missing.Count > 0 ? "; not (yet) seen: " + string.Join("; ", missing) : "");
        }
    }

    // Does something once a wait is over, unless the demo stopped first.
    private static async Task AfterAsync(Task wait, Action then)
    {
        try
        {
            await wait.ConfigureAwait(false);
            then();
        }
        catch (OperationCanceledException)
        {
            // Stopped earlier (Ctrl-C, or the scenarios ended).
        }
    }
}
