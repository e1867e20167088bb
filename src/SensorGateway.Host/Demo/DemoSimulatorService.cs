using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using SensorGateway.Host.Pipeline;
using SensorGateway.Profiles;
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
    private readonly List<(DemoSite Demo, SiteSimulator Simulator)> _simulators = [];
    private readonly ScenarioClock _clock = new(time, options.Value.Speed);

    /// <summary>
    /// Binds every site's Modbus slaves. This service starts before the reading pipeline, so the gateway's first poll
    /// finds them answering instead of reporting the demo's own devices as failed.
    /// </summary>
    /// <exception cref="ConfigurationFileException">A site's Modbus port is taken (the shipped sites name fixed ports).</exception>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var (host, port) = Broker();
        foreach (var demo in sites)
        {
            var simulator = new SiteSimulator(SimulatedSite.Build(demo.Site, profiles.Profiles, demo.Scenario), _clock,
                new SiteSimulatorOptions { MqttHost = host, MqttPort = port });
            _simulators.Add((demo, simulator));
            try
            {
                await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                await DisposeSimulatorsAsync().ConfigureAwait(false);
                throw new ConfigurationFileException([new ConfigurationError(demo.Scenario.SiteFile, 0, 0, "devices.modbus",
                    $"the demo cannot serve the Modbus devices of site '{demo.Site.Id}' on the ports this file names ({ex.Message}); stop what holds them (another demo?) and start again")]);
            }

            var modbus = simulator.Modbus.Endpoints.Values.Distinct().Select(e => e.ToString()).ToList();
            DemoLog.SiteStarted(logger, demo.Site.Id, demo.Site.Name, demo.Scenario.Name, demo.Site.Devices.Count,
                modbus.Count == 0 ? "none over Modbus" : $"{simulator.Modbus.DeviceCount} over Modbus ({string.Join(" and ", modbus)})",
                simulator.Mqtt.DeviceCount, demo.Scenario.Description);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PlayAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeSimulatorsAsync().ConfigureAwait(false);
        }
    }

    private (string Host, int Port) Broker() =>
        mqtt.Value.UsesEmbeddedBroker ? ("127.0.0.1", broker.Port) : (mqtt.Value.Host!, mqtt.Value.Port);

    private async Task DisposeSimulatorsAsync()
    {
        foreach (var (_, simulator) in _simulators)
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
        }

        _simulators.Clear();
    }

    private async Task PlayAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var duration = sites.Max(s => s.Scenario.Duration);
        var (host, port) = Broker();
        DemoLog.Playing(logger, sites.Count, duration.TotalSeconds, demo.Speed, host, port);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var background = new[]
        {
            WatchHazardsAsync(watching.Token),
            SummarizeAsync(demo.SummaryInterval, watching.Token),
            demo.Follow ? AfterAsync(_clock.WaitUntilAsync(duration, watching.Token), () => DemoLog.Following(logger)) : Task.CompletedTask,
        };
        if (demo.StopAfter > TimeSpan.Zero)
        {
            _ = AfterAsync(Task.Delay(demo.StopAfter, time, stoppingToken), lifetime.StopApplication);
        }

        try
        {
            await Task.WhenAll(_simulators.Select(s => s.Simulator.RunAsync(demo.Follow ? null : s.Demo.Scenario.Duration, stoppingToken))).ConfigureAwait(false);
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
            Report(demo.Follow ? _clock.Elapsed : TimeSpan.FromTicks(Math.Min(_clock.Elapsed.Ticks, duration.Ticks)));
        }

        if (!demo.Follow && !stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
        }
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

    private async Task SummarizeAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                foreach (var demo in sites)
                {
                    var tally = _tally.Of(demo.Site);
                    DemoLog.Summary(logger, (int)_clock.Elapsed.TotalSeconds, demo.Site.Id, tally.Readings, tally.DevicesHeard, demo.Site.Devices.Count,
                        tally.Raised, tally.Escalated, tally.Records);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The demo ended.
        }
    }

    private void Report(TimeSpan played)
    {
        DemoLog.Report(logger, (int)played.TotalSeconds, sites.Count, pipeline.Accepted, _simulators.Sum(s => s.Simulator.Mqtt.Published),
            _simulators.Sum(s => s.Simulator.Modbus.Requests));
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
