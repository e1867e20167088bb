using SensorGateway.Core.Sites;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Signals;

namespace SensorGateway.Simulators.Sites;

/// <summary>
/// Every device of a site file, with realistic signals and a scenario's events applied: a pure model of
/// what each channel reads at each scenario time. The Modbus and MQTT simulators serve it.
/// </summary>
public sealed class SimulatedSite
{
    private SimulatedSite(SiteDefinition site, int seed, IReadOnlyList<SimulatedDevice> devices, IReadOnlyList<ScenarioEvent> siteEvents)
    {
        Site = site;
        Seed = seed;
        Devices = devices;
        SiteEvents = siteEvents;
    }

    public SiteDefinition Site { get; }

    public int Seed { get; }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>Events that concern the infrastructure rather than a device (broker and database outages).</summary>
    public IReadOnlyList<ScenarioEvent> SiteEvents { get; }

    public SimulatedDevice Device(string id) =>
        Devices.FirstOrDefault(d => d.Id == id) ?? throw new KeyNotFoundException($"The site has no device '{id}'.");

    /// <summary>Builds the model. Events that name a device or channel the site lacks are errors located in the scenario file.</summary>
    /// <param name="profiles">Firmware profiles by id, for devices that name one.</param>
    /// <param name="scenario">The scenario, or null for a quiet site.</param>
    /// <param name="seed">The noise seed; the scenario's seed when null.</param>
    /// <exception cref="ConfigurationFileException">An event names an unknown device or channel.</exception>
    public static SimulatedSite Build(SiteDefinition site, IReadOnlyDictionary<string, FirmwareProfile> profiles, Scenario? scenario = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(profiles);
        var actualSeed = seed ?? scenario?.Seed ?? 1;
        var events = scenario?.Events ?? [];
        var startHour = scenario?.StartHour ?? 12;
        Validate(site, events, scenario?.File ?? "(scenario)");
        var devices = new List<SimulatedDevice>();
        var stream = 0;
        foreach (var device in site.Devices)
        {
            var profile = device.Profile is { } id && profiles.TryGetValue(id, out var p) ? p : null;
            var signals = new Dictionary<string, IChannelSignal>(StringComparer.Ordinal);
            var profileChannels = new Dictionary<string, ProfileChannel?>(StringComparer.Ordinal);
            foreach (var channel in device.Channels)
            {
                var profileChannel = profile?.Channel(channel.Id.Channel);
                profileChannels[channel.Id.Channel] = profileChannel;

                // A detector's 4-20 mA read-back shows the same concentration as its digital value.
                var mirrored = profileChannel?.LoopCurrent is not null
                    ? device.Channels.FirstOrDefault(c => c.Quantity == channel.Quantity && c != channel && profile?.Channel(c.Id.Channel)?.LoopCurrent is null)
                    : null;
                signals[channel.Id.Channel] = mirrored is not null && signals.TryGetValue(mirrored.Id.Channel, out var leader)
                    ? leader
                    : SignalLibrary.For(channel, actualSeed, stream, startHour, signals);
                stream++;
            }

            foreach (var e in events)
            {
                Apply(e, device.Id, signals, profileChannels);
            }

            var channels = device.Channels
                .Select(c => new SimulatedChannel(c, profileChannels[c.Id.Channel], signals[c.Id.Channel],
                    [.. events.Where(e => e.Device == device.Id && e.Channel == c.Id.Channel)]))
                .ToArray();
            devices.Add(new SimulatedDevice(device, profile, channels, [.. events.Where(e => e.Device == device.Id && e.Channel is null)]));
        }

        return new SimulatedSite(site, actualSeed, devices,
            [.. events.Where(e => e.Type is ScenarioEventType.BrokerOutage or ScenarioEventType.DatabaseOutage)]);
    }

    private static void Apply(ScenarioEvent e, string deviceId, Dictionary<string, IChannelSignal> signals, Dictionary<string, ProfileChannel?> profileChannels)
    {
        if (e.Type == ScenarioEventType.GasLeak)
        {
            foreach (var spread in e.Spread.Where(s => s.Device == deviceId && signals.ContainsKey(s.Channel)))
            {
                Replace(signals, spread.Channel, s => new RampSignal(s, e.At + spread.Delay, e.Rate * spread.Factor, (e.Peak ?? 0) * spread.Factor));
            }
        }

        if (e.Device != deviceId || e.Channel is null || !signals.ContainsKey(e.Channel))
        {
            return;
        }

        Replace(signals, e.Channel, inner => e.Type switch
        {
            ScenarioEventType.GasLeak or ScenarioEventType.Ramp => new RampSignal(inner, e.At, e.Rate, e.Peak ?? double.MaxValue),
            ScenarioEventType.Delivery => new ShiftSignal(inner, e.At, e.Duration, e.Rate),
            ScenarioEventType.Drift => new ShiftSignal(inner, e.At, null, e.Rate),
            ScenarioEventType.Set => new HoldSignal(inner, e.At, e.Until, e.Value),
            ScenarioEventType.Stuck => new HoldSignal(inner, e.At, e.Until, null),
            _ => inner,
        });
    }

    // Replaces a channel's signal, and the signal of every channel that mirrors it (same instance).
    private static void Replace(Dictionary<string, IChannelSignal> signals, string channel, Func<IChannelSignal, IChannelSignal> wrap)
    {
        var old = signals[channel];
        var replacement = wrap(old);
        foreach (var key in signals.Keys.ToArray())
        {
            if (ReferenceEquals(signals[key], old))
            {
                signals[key] = replacement;
            }
        }
    }

    private static void Validate(SiteDefinition site, IReadOnlyList<ScenarioEvent> events, string file)
    {
        var errors = new List<ConfigurationError>();
        void Check(string? device, string? channel, int line, string field)
        {
            if (device is null)
            {
                return;
            }

            var d = site.Devices.FirstOrDefault(x => x.Id == device);
            if (d is null)
            {
                errors.Add(new ConfigurationError(file, line, 0, field + "device", $"site '{site.Id}' has no device '{device}'; its devices are: {string.Join(", ", site.Devices.Select(x => x.Id))}"));
            }
            else if (channel is not null && d.Channels.All(c => c.Id.Channel != channel))
            {
                errors.Add(new ConfigurationError(file, line, 0, field + "channel", $"device '{device}' has no channel '{channel}'; its channels are: {string.Join(", ", d.Channels.Select(c => c.Id.Channel))}"));
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Check(e.Device, e.Channel, e.Line, $"events (type {ScenarioLoader.KebabCase(e.Type.ToString())}).");
            foreach (var s in e.Spread)
            {
                Check(s.Device, s.Channel, e.Line, "events.spread.");
            }

            if (e.Type is ScenarioEventType.ModbusException or ScenarioEventType.CorruptFrames
                && site.Devices.FirstOrDefault(x => x.Id == e.Device) is { Address: MqttDeviceAddress })
            {
                errors.Add(new ConfigurationError(file, e.Line, 0, "events.type", $"device '{e.Device}' speaks MQTT; '{ScenarioLoader.KebabCase(e.Type.ToString())}' applies to Modbus devices only"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationFileException(errors);
        }
    }
}
