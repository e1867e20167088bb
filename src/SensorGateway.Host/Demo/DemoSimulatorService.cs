using Microsoft.Extensions.Options;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Mqtt;

namespace SensorGateway.Host.Demo;

/// <summary>Plays the site's MQTT devices, with one leak, against the gateway's own broker.</summary>
internal sealed class DemoSimulatorService(
    SiteDefinition site,
    IOptions<DemoOptions> options,
    IOptions<MqttIngestOptions> mqtt,
    EmbeddedMqttBroker broker,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoSimulatorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var leak = new ChannelLeak(demo.LeakDevice, demo.LeakChannel, demo.LeakStartsAfter, demo.LeakRatePerSecond, demo.LeakPeak);
        var simulator = new MqttSiteSimulator(DemoScenario.Build(site, leak), time);
        var (host, port) = mqtt.Value.UsesEmbeddedBroker ? ("127.0.0.1", broker.Port) : (mqtt.Value.Host!, mqtt.Value.Port);
        DemoLog.Started(logger, site.Id, host, port, demo.LeakDevice, demo.LeakChannel, demo.LeakStartsAfter);
        if (demo.StopAfter > TimeSpan.Zero)
        {
            _ = StopLaterAsync(demo.StopAfter, stoppingToken);
        }

        await simulator.RunAsync(host, port, stoppingToken).ConfigureAwait(false);
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
}
