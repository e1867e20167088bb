using SensorGateway.Simulators.Faults;
using SensorGateway.Simulators.Modbus;
using SensorGateway.Simulators.Mqtt;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators;

/// <summary>
/// Runs a simulated site: serves its Modbus devices, publishes its MQTT devices and plays the scenario's
/// infrastructure outages on the given switches, all on one <see cref="ScenarioClock"/>.
/// </summary>
public sealed class SiteSimulator : IAsyncDisposable
{
    /// <summary>How often Modbus registers are refreshed, in scenario time.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(100);

    private readonly SimulatedSite _site;
    private readonly ModbusSiteSimulator _modbus;
    private readonly MqttSiteSimulator _mqtt;

    public SiteSimulator(SimulatedSite site, ScenarioClock clock, SiteSimulatorOptions? options = null)
    {
        _site = site ?? throw new ArgumentNullException(nameof(site));
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Options = options ?? new SiteSimulatorOptions();
        _modbus = new ModbusSiteSimulator(site, clock.Time);
        _mqtt = new MqttSiteSimulator(site, clock);
    }

    public ScenarioClock Clock { get; }

    public SiteSimulatorOptions Options { get; }

    public SimulatedSite Site => _site;

    public ModbusSiteSimulator Modbus => _modbus;

    public MqttSiteSimulator Mqtt => _mqtt;

    /// <summary>Binds the Modbus slaves (before the gateway starts polling them).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _modbus.StartAsync(cancellationToken);

    /// <summary>Plays the site until scenario time <paramref name="until"/> (null: until cancelled).</summary>
    public async Task RunAsync(TimeSpan? until, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var mqtt = Options.MqttHost is { } host && _mqtt.DeviceCount > 0
            ? _mqtt.RunAsync(host, Options.MqttPort, until, linked.Token)
            : Task.CompletedTask;
        Clock.Start();
        try
        {
            var next = TimeSpan.Zero;
            while (!linked.IsCancellationRequested && (until is null || next <= until))
            {
                await Clock.WaitUntilAsync(next, linked.Token).ConfigureAwait(false);
                var now = Clock.Elapsed;
                _modbus.Update(now);
                foreach (var e in _site.SiteEvents)
                {
                    var name = e.Type == ScenarioEventType.BrokerOutage ? "broker" : "database";
                    if (Options.Outages.TryGetValue(name, out var proxy))
                    {
                        proxy.SetDown(_site.SiteEvents.Any(x => x.Type == e.Type && x.IsActiveAt(now)));
                    }
                }

                next = now + UpdateInterval;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a simulation.
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            await mqtt.ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _modbus.DisposeAsync();
}

/// <summary>Where a <see cref="SiteSimulator"/> publishes and which outage switches its scenario may throw.</summary>
public sealed class SiteSimulatorOptions
{
    /// <summary>MQTT broker host for the site's MQTT devices, or null to play none.</summary>
    public string? MqttHost { get; init; }

    public int MqttPort { get; init; } = 1883;

    /// <summary>Outage switches by name: <c>broker</c>, <c>database</c>.</summary>
    public IReadOnlyDictionary<string, TcpOutageProxy> Outages { get; init; } = new Dictionary<string, TcpOutageProxy>();
}
