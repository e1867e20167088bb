using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using SensorGateway.Core.Alarms;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Faults;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.IntegrationTests.Scenarios;

/// <summary>
/// Plays a shipped scenario end to end: the simulated site (Modbus slaves on free ports, MQTT devices on the
/// test Mosquitto) → the real gateway in-process → VictoriaMetrics (through an outage proxy) and a gRPC
/// subscriber. Collects the alarm events on the scenario's timeline.
/// </summary>
internal sealed partial class ScenarioRun
{
    private ScenarioRun(Scenario scenario, IReadOnlyList<ObservedAlarm> alarms, DateTimeOffset startedAt, string siteId, IReadOnlyList<string> deviceIds)
    {
        DeviceIds = deviceIds;
        Scenario = scenario;
        Alarms = alarms;
        StartedAt = startedAt;
        SiteId = siteId;
    }

    public Scenario Scenario { get; }

    public IReadOnlyList<ObservedAlarm> Alarms { get; }

    /// <summary>Wall-clock time of scenario time zero.</summary>
    public DateTimeOffset StartedAt { get; }

    public string SiteId { get; }

    public IReadOnlyList<string> DeviceIds { get; }

    public static async Task<ScenarioRun> PlayAsync(string scenarioName, CancellationToken cancellationToken)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", scenarioName + ".yaml"));
        var siteYaml = WithFreePorts(await File.ReadAllTextAsync(scenario.SiteFile, cancellationToken));
        var profiles = FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));
        var site = SiteFileLoader.Parse(scenario.SiteFile, siteYaml, profiles);
        var simulated = SimulatedSite.Build(site, profiles, scenario);

        var vm = TestServers.VictoriaMetrics;
        await using var broker = new TcpOutageProxy(TestServers.MqttHost, TestServers.MqttPort);
        await using var database = new TcpOutageProxy(vm.Host, vm.Port);
        var clock = new ScenarioClock(TimeProvider.System, scenario.Speed);
        await using var simulator = new SiteSimulator(simulated, clock, new SiteSimulatorOptions
        {
            MqttHost = TestServers.MqttHost,
            MqttPort = TestServers.MqttPort,
            Outages = new Dictionary<string, TcpOutageProxy> { ["broker"] = broker, ["database"] = database },
        });
        await simulator.StartAsync(cancellationToken);
        await using var gateway = await RunningGateway.StartAsync(siteYaml,
        [
            "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={broker.Endpoint.Port}", $"--Mqtt:ClientId={TestSites.UniqueId(site.Id)}",
            "--Storage:Mode=InfluxV2", $"--Storage:Url=http://127.0.0.1:{database.Endpoint.Port}", "--Storage:Org=test", "--Storage:Bucket=readings",
        ], cancellationToken);
        using var subscription = gateway.Hazards.Subscribe(new SubscribeRequest { Site = site.Id }, cancellationToken: cancellationToken);
        if (site.Devices.Any(d => d.Address is Core.Sites.MqttDeviceAddress))
        {
            await gateway.WhenMqttSubscribedAsync(cancellationToken);
        }

        var events = new List<HazardEvent>();
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadAsync(subscription, events, reading.Token);
        await simulator.RunAsync(scenario.Duration, cancellationToken);

        // Every expected alarm should be in by now; wait (bounded) for late ones, then stop listening.
        try
        {
            await Eventually.ReturnsAsync(_ =>
            {
                lock (events)
                {
                    var seen = ToTimeline(events, clock.StartedAt, scenario.Speed);
                    return Task.FromResult(scenario.ExpectedAlarms.All(x => seen.Any(o => Matches(x, o))) ? seen : null);
                }
            }, $"the expected alarms of {scenario.Name}", cancellationToken, timeoutSeconds: 15);
        }
        catch (TimeoutException timeout)
        {
            // Name what is missing and what came instead: a timing miss and a lost alarm read differently.
            lock (events)
            {
                var seen = ToTimeline(events, clock.StartedAt, scenario.Speed);
                var missing = scenario.ExpectedAlarms.Where(x => !seen.Any(o => Matches(x, o)));
                throw new TimeoutException($"{timeout.Message} Missing: {string.Join("; ", missing)}. Observed: {string.Join("; ", seen)}.", timeout);
            }
        }
        await reading.CancelAsync();
        await reader;
        lock (events)
        {
            return new ScenarioRun(scenario, ToTimeline(events, clock.StartedAt, scenario.Speed), clock.StartedAt, site.Id, [.. site.Devices.Select(d => d.Id)]);
        }
    }

    /// <summary>Whether an observed alarm is the expected one, within its tolerance.</summary>
    public static bool Matches(ExpectedAlarm expected, ObservedAlarm observed) =>
        expected.Device == observed.Device && expected.Channel == observed.Channel && expected.Kind == observed.Kind
        && expected.Level == observed.Level && (observed.At - expected.At).Duration() <= expected.Tolerance;

    /// <summary>Pairs every expected alarm with one observed alarm; returns what is left on either side.</summary>
    public (IReadOnlyList<ExpectedAlarm> Missing, IReadOnlyList<ObservedAlarm> Unexpected) Compare()
    {
        var left = Alarms.ToList();
        var missing = new List<ExpectedAlarm>();
        foreach (var expected in Scenario.ExpectedAlarms)
        {
            var match = left.FirstOrDefault(o => Matches(expected, o));
            if (match is null)
            {
                missing.Add(expected);
            }
            else
            {
                left.Remove(match);
            }
        }

        return (missing, left);
    }

    /// <summary>The readings VictoriaMetrics holds for this run, per device/channel: their timestamps.</summary>
    public async Task<IReadOnlyDictionary<string, long[]>> StoredReadingsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = TestServers.VictoriaMetrics };
        await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken);
        var match = Uri.EscapeDataString($"reading_value{{site=\"{SiteId}\"}}");
        var start = StartedAt.ToUnixTimeMilliseconds();
        var end = (StartedAt + (Scenario.Duration / Scenario.Speed)).ToUnixTimeMilliseconds();
        var body = await http.GetStringAsync(new Uri($"api/v1/export?match[]={match}&start={start / 1000}&end={(end / 1000) + 1}", UriKind.Relative), cancellationToken);
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var json = JsonDocument.Parse(line).RootElement;
            var labels = json.GetProperty("metric");
            var key = $"{labels.GetProperty("device").GetString()}/{labels.GetProperty("channel").GetString()}";
            result[key] = [.. json.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).Where(t => t >= start && t <= end)];
        }

        return result;
    }

    private static async Task ReadAsync(AsyncServerStreamingCall<SubscribeResponse> subscription, List<HazardEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.ResponseStream.MoveNext(cancellationToken))
            {
                lock (events)
                {
                    events.Add(subscription.ResponseStream.Current.Event);
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // The run is over.
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    // An alarm that opens a hazard record is announced by the record's event: both mean "raised".
    private static List<ObservedAlarm> ToTimeline(IEnumerable<HazardEvent> events, DateTimeOffset startedAt, double speed) =>
        [.. events
            .Where(e => e.Alarm is not null && e.Kind is HazardEventKind.Raised or HazardEventKind.RecordOpened or HazardEventKind.Escalated)
            .Select(e => new ObservedAlarm(e.Alarm.Device, e.Alarm.Channel,
                e.Kind == HazardEventKind.Escalated ? AlarmEventKind.Escalated : AlarmEventKind.Raised,
                (Core.Alarms.AlarmLevel)(int)e.Alarm.Level,
                (e.Time.ToDateTimeOffset() - startedAt) * speed))
            .DistinctBy(o => (o.Device, o.Channel, o.Kind, o.Level, Math.Round(o.At.TotalSeconds)))];

    // Shipped site files name fixed ports; the test binds free ones so runs never collide.
    private static string WithFreePorts(string yaml)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        return PortPattern().Replace(yaml, m =>
        {
            if (!ports.TryGetValue(m.Groups["port"].Value, out var port))
            {
                port = FreePort.Next();
                ports[m.Groups["port"].Value] = port;
            }

            return $"{m.Groups["prefix"].Value}{port}";
        });
    }

    [GeneratedRegex("(?<prefix>(tcp|rtuOverTcp): \"?127\\.0\\.0\\.1:)(?<port>\\d+)")]
    private static partial Regex PortPattern();
}
