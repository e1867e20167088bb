using SensorGateway.Core.Sites;
using SensorGateway.Simulators.Mqtt;
using SensorGateway.Simulators.Signals;

namespace SensorGateway.Simulators;

/// <summary>
/// The demo's story: every MQTT device of a site reads quietly around a typical baseline for its quantity,
/// except one channel where a leak starts after a while and rises past both alarm levels.
/// </summary>
public static class DemoScenario
{
    public static IReadOnlyList<SimulatedMqttDevice> Build(SiteDefinition site, ChannelLeak? leak, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(site);
        var devices = new List<SimulatedMqttDevice>();
        var channelSeed = seed;
        foreach (var device in site.Devices)
        {
            if (device.Address is not MqttDeviceAddress mqtt)
            {
                continue;
            }

            var signals = new Dictionary<string, IChannelSignal>(StringComparer.Ordinal);
            foreach (var channel in device.Channels)
            {
                var (baseline, noise) = Baseline(channel.Quantity);
                IChannelSignal signal = new SteadySignal(baseline, noise, channelSeed++);
                if (leak is not null && leak.Device == device.Id && leak.Channel == channel.Id.Channel)
                {
                    signal = new RampSignal(signal, leak.StartAfter, leak.RatePerSecond, leak.Peak);
                }

                signals[channel.Id.Channel] = signal;
            }

            devices.Add(new SimulatedMqttDevice(device.Id, mqtt.Topic, device.PollInterval, signals));
        }

        return devices;
    }

    // Quiet values a healthy site shows; noise stays far from any default set-point.
    private static (double Baseline, double Noise) Baseline(string quantity) => quantity switch
    {
        "gas.combustible" => (2, 0.5),
        "gas.oxygen" => (20.9, 0.05),
        "tank.product_level" => (1500, 2),
        "tank.water_level" => (5, 0.5),
        "tank.temperature" => (18, 0.2),
        "tank.pressure" => (0.12, 0.005),
        "pressure.inlet" => (0.35, 0.005),
        "pressure.outlet" => (2.2, 0.02),
        var q when q.StartsWith("gas.", StringComparison.Ordinal) => (0.3, 0.2),
        _ => (0, 0),
    };
}

/// <summary>A leak on one channel: quiet until <see cref="StartAfter"/>, then rising.</summary>
public sealed record ChannelLeak(string Device, string Channel, TimeSpan StartAfter, double RatePerSecond, double Peak);
