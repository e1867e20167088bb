using SensorGateway.Profiles;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Cli;
using SensorGateway.Simulators.Load;
using SensorGateway.Simulators.Modbus;
using SensorGateway.Simulators.Replay;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

const string Usage = """
    sg-sim — SensorGateway simulators

    Usage:
      sg-sim load --devices N [--rate 1] [--modbus-share 0.2] [--mqtt host:port] [--duration 60s]
                  [--modbus-port 15100] [--site-out load-site.yaml] [--seed 1]
          N gas detectors at RATE readings/s each; the Modbus share is served on --modbus-port and up (247 unit ids
          per port), the rest publish JSON with (device, seq) to the broker. Writes the site file for the gateway first.
      sg-sim replay --file readings.lp|readings.csv [--speed 1] [--mqtt host:port] [--topic sites/SITE/devices/{device}/readings]
          replays a recording (the gateway's line protocol, or CSV time,device,channel,value[,seq]) at a speed factor.
      sg-sim scenario --file scenarios/x.yaml [--mqtt host:port] [--speed S] [--profiles firmware-profiles]
          plays a scenario's site: Modbus slaves on the site file's ports, MQTT devices to the broker.
    """;

if (args.Length == 0 || args[0] is "help" or "-h" or "--help")
{
    Console.WriteLine(Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var time = TimeProvider.System;
try
{
    var options = new CliArguments(args[1..]);
    var profilesDirectory = options.String("profiles", Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));
    switch (args[0])
    {
        case "load":
        {
            var devices = (int)options.Number("devices", 100);
            var duration = options.Duration("duration", TimeSpan.FromSeconds(60));
            var yaml = LoadSiteGenerator.Generate("load-01", devices, options.Number("rate", 1), options.Number("modbus-share", 0.2), (int)options.Number("modbus-port", 15100));
            var siteOut = options.String("site-out", "load-site.yaml");
            await File.WriteAllTextAsync(siteOut, yaml, stop.Token);
            Console.WriteLine($"site file for the gateway: {Path.GetFullPath(siteOut)}");
            var profiles = FirmwareProfileLoader.LoadDirectory(profilesDirectory);
            var site = SimulatedSite.Build(SiteFileLoader.Parse(siteOut, yaml, profiles), profiles, seed: (int)options.Number("seed", 1));
            var clock = new ScenarioClock(time);
            await using var modbus = new ModbusSiteSimulator(site, time);
            await modbus.StartAsync(stop.Token);
            var mqtt = new MqttLoadPublisher(site, clock);
            var (host, port) = options.Endpoint("mqtt", "127.0.0.1:1883");
            var work = Task.WhenAll(mqtt.RunAsync(host, port, duration, stop.Token), UpdateModbusAsync(modbus, clock, duration, stop.Token));
            await ProgressDisplay.RunAsync("load", duration,
                () => new LoadCounters(clock.Elapsed, mqtt.Published, mqtt.Failed, modbus.Requests, site.Devices.Count), work, time);
            break;
        }

        case "replay":
        {
            var readings = RecordedReadingFile.Load(options.Required("file"));
            var speed = options.Number("speed", 1);
            var replay = new ReplayPublisher(readings, time);
            var (host, port) = options.Endpoint("mqtt", "127.0.0.1:1883");
            var span = readings.Count > 0 ? (readings[^1].Time - readings[0].Time) / speed : TimeSpan.Zero;
            var started = time.GetTimestamp();
            var work = replay.RunAsync(host, port, options.String("topic", "sites/demo-fuel-01/devices/{device}/readings"), speed, stop.Token);
            await ProgressDisplay.RunAsync("replay", span,
                () => new LoadCounters(time.GetElapsedTime(started), replay.Published, replay.Failed, 0, readings.Select(r => r.Device).Distinct().Count()), work, time);
            break;
        }

        case "scenario":
        {
            var scenario = ScenarioLoader.Load(options.Required("file"));
            var profiles = FirmwareProfileLoader.LoadDirectory(profilesDirectory);
            var site = SimulatedSite.Build(SiteFileLoader.Load(scenario.SiteFile, profiles), profiles, scenario);
            var (host, port) = options.Endpoint("mqtt", "127.0.0.1:1883");
            var clock = new ScenarioClock(time, options.Number("speed", scenario.Speed));
            await using var simulator = new SiteSimulator(site, clock, new SiteSimulatorOptions { MqttHost = host, MqttPort = port });
            await simulator.StartAsync(stop.Token);
            var work = simulator.RunAsync(scenario.Duration, stop.Token);
            await ProgressDisplay.RunAsync(scenario.Name, scenario.Duration / clock.Speed,
                () => new LoadCounters(clock.Elapsed / clock.Speed, simulator.Mqtt.Published, simulator.Mqtt.Failed, simulator.Modbus.Requests, site.Devices.Count), work, time);
            break;
        }

        default:
            Console.Error.WriteLine($"unknown command '{args[0]}'{Environment.NewLine}{Usage}");
            return 2;
    }

    return 0;
}
catch (ConfigurationFileException ex)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, ex.Errors));
    return 2;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

static async Task UpdateModbusAsync(ModbusSiteSimulator modbus, ScenarioClock clock, TimeSpan duration, CancellationToken cancellationToken)
{
    clock.Start();
    try
    {
        for (var next = TimeSpan.Zero; next < duration; next += SiteSimulator.UpdateInterval)
        {
            await clock.WaitUntilAsync(next, cancellationToken).ConfigureAwait(false);
            modbus.Update(clock.Elapsed);
        }
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        // Stopped by the operator.
    }
}
