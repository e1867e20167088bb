using Microsoft.Extensions.Options;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Host.Demo;

/// <summary>
/// Plays the demo scenario against the gateway itself: the site's MQTT devices publish to the gateway's broker
/// (embedded, or the configured external one), its Modbus devices are served on the site file's ports. Writes
/// a live summary line, every hazard record as it opens, and a short report at the end.
/// </summary>
internal sealed class DemoSimulatorService(
    SiteDefinition site,
    FirmwareProfileCatalog profiles,
    IOptions<DemoOptions> options,
    IOptions<MqttIngestOptions> mqtt,
    EmbeddedMqttBroker broker,
    HazardEventLog hazards,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoSimulatorService> logger) : BackgroundService
{
    private readonly List<HazardEvent> _events = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var scenario = ScenarioLoader.Load(Resolve(demo.Scenario));
        var simulated = SimulatedSite.Build(site, profiles.Profiles, scenario);
        var clock = new ScenarioClock(time, demo.Speed);
        var (host, port) = mqtt.Value.UsesEmbeddedBroker ? ("127.0.0.1", broker.Port) : (mqtt.Value.Host!, mqtt.Value.Port);
        await using var simulator = new SiteSimulator(simulated, clock, new SiteSimulatorOptions { MqttHost = host, MqttPort = port });
        await simulator.StartAsync(stoppingToken).ConfigureAwait(false);
        DemoLog.Started(logger, scenario.Name, site.Id, simulated.Devices.Count, host, port, scenario.Duration, demo.Speed, scenario.Description);

        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watch = WatchHazardsAsync(watching.Token);
        var summary = SummarizeAsync(simulator, demo.SummaryInterval, watching.Token);
        if (demo.StopAfter > TimeSpan.Zero)
        {
            _ = StopLaterAsync(demo.StopAfter, stoppingToken);
        }

        try
        {
            await simulator.RunAsync(demo.Follow ? null : scenario.Duration, stoppingToken).ConfigureAwait(false);
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
            await Task.WhenAll(watch, summary).ConfigureAwait(false);
            Report(scenario, simulator);
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
                lock (_events)
                {
                    _events.Add(e);
                }

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

    private async Task SummarizeAsync(SiteSimulator simulator, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                var (raised, escalated, records) = Counts();
                DemoLog.Summary(logger, (int)simulator.Clock.Elapsed.TotalSeconds, simulator.Mqtt.Published, simulator.Mqtt.Failed,
                    simulator.Modbus.Requests, raised, escalated, records);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The demo ended.
        }
    }

    private (int Raised, int Escalated, int Records) Counts()
    {
        lock (_events)
        {
            return (_events.Where(IsRaised).Select(e => (e.Alarm.Device, e.Alarm.Channel, e.Alarm.Level)).Distinct().Count(), _events.Count(e => e.Kind == HazardEventKind.Escalated),
                _events.Count(e => e.Kind == HazardEventKind.RecordOpened));
        }
    }

    // An alarm that opens a hazard record is announced by the record's event.
    private static bool IsRaised(HazardEvent e) => e.Kind is HazardEventKind.Raised || (e.Kind is HazardEventKind.RecordOpened && e.Alarm is not null);

    private void Report(Scenario scenario, SiteSimulator simulator)
    {
        var (raised, escalated, records) = Counts();
        List<string> missing;
        lock (_events)
        {
            missing = [.. scenario.ExpectedAlarms
                .Where(x => !_events.Any(e => e.Alarm is { } a && a.Device == x.Device && a.Channel == x.Channel
                    && (x.Kind == Core.Alarms.AlarmEventKind.Raised ? IsRaised(e) : e.Kind.ToString() == x.Kind.ToString()) && (int)a.Level == (int)x.Level))
                .Select(x => x.ToString())];
        }

        var seen = scenario.ExpectedAlarms.Count - missing.Count;
        DemoLog.Report(logger, scenario.Name, (int)(options.Value.Follow ? simulator.Clock.Elapsed : TimeSpan.FromTicks(Math.Min(simulator.Clock.Elapsed.Ticks, scenario.Duration.Ticks))).TotalSeconds, simulator.Mqtt.Published, raised, escalated, records,
            seen, scenario.ExpectedAlarms.Count, missing.Count > 0 ? "; not (yet) seen: " + string.Join("; ", missing) : "");
    }

    private async Task StopLaterAsync(TimeSpan after, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(after, time, stoppingToken).ConfigureAwait(false);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException)
        {
            // Stopped earlier by the operator.
        }
    }

    // Relative to the working directory first (what an operator typed), then to the program (shipped files).
    private static string Resolve(string path) =>
        Path.IsPathRooted(path) || File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
