using System.Globalization;

namespace SensorGateway.LoadHarness;

/// <summary>The command line of a load run: <c>--name value</c> pairs.</summary>
internal sealed record HarnessOptions
{
    public int Sensors { get; init; } = 10_000;

    /// <summary>Readings per second per sensor.</summary>
    public double Rate { get; init; } = 1;

    public double ModbusShare { get; init; } = 0.2;

    /// <summary>Detector points of each MQTT device, published together in one message (multi-point controllers).</summary>
    public int Points { get; init; } = 1;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public DatabaseKind Database { get; init; } = DatabaseKind.VictoriaMetrics;

    /// <summary>Sensor counts of a scaling run; empty for one run at <see cref="Sensors"/>.</summary>
    public IReadOnlyList<int> Scaling { get; init; } = [];

    public string? JsonFile { get; init; }

    /// <summary>Alarm probes per second (each a crossing of a level-2 limit by one probe device).</summary>
    public double ProbeRate { get; init; } = 5;

    /// <summary>The longest wait for the database to catch up after the load stops.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long each reference peer runs after the gateway's measurement.</summary>
    public TimeSpan PeerDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When set, each run's folder (logs, spool, hazard log, dead letters) is made here and kept for inspection.</summary>
    public string? KeepDirectory { get; init; }

    /// <summary>
    /// How long the started site is held idle before the load (zero: none), with the gateway's process id printed,
    /// so a heap snapshot (<c>dotnet-gcdump collect -p PID</c>) can be taken of the gateway holding the site alone.
    /// </summary>
    public TimeSpan HoldBeforeLoad { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The load's first part, whose alarms are reported apart as the start-up transient: the gateway's code is still
    /// being compiled to its optimised tier under full load, which is not the state a site runs in for months.
    /// </summary>
    public TimeSpan StartUp { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The gateway executable to run instead of the built one, e.g. a ReadyToRun publish of it.</summary>
    public string? GatewayExecutable { get; init; }

    /// <summary>Every MQTT device reports at the start of each interval (a burst), instead of at its own offset in it.</summary>
    public bool Aligned { get; init; }

    /// <summary>Sizes of subscriber fleets that take turns over the load (empty: the probe's own subscriber only).</summary>
    public IReadOnlyList<int> FanOut { get; init; } = [];

    /// <summary>How long each fleet of <see cref="FanOut"/> stays subscribed.</summary>
    public TimeSpan FanOutPhase { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Whether the fleets run at the lowest CPU priority (nice 19), so that, like consoles on other machines, they do
    /// not take the gateway's cores. Off by default: under the full load a niced subscriber can go unscheduled until
    /// the probe's clearing event arrives 100 ms later, and the socket then stamps both with the later arrival.
    /// </summary>
    public bool FanOutNiced { get; init; }

    public const string Usage = """
        sensorgateway load harness — one end-to-end load run (or several) with reference peers

          --sensors N           sensors (devices), default 10000
          --rate R              readings/s per sensor, default 1
          --modbus-share S      share of Modbus TCP sensors, 0-1, default 0.2
          --points P            detector points per MQTT device, all in one message (a multi-point
                                gas alarm controller), default 1; readings/s = sensors x rate x points
          --seconds T           load time per run, default 60
          --db victoriametrics|influxdb1
          --scaling 1000,10000,50000   one run per size, and a table of how they grow
          --probe-rate P        alarm probes per second, default 5
          --json out.json       results as JSON
          --keep DIR            keep each run's folder (every process's log, spool, hazard log) under DIR
          --hold-before-load T  seconds to hold the started site idle before the load (prints the gateway's pid)
          --start-up T          seconds at the start of the load whose alarms are reported apart as the
                                start-up transient, default 20
          --gateway PATH        the gateway executable to run (default: the built src/SensorGateway.Host),
                                e.g. one published with -p:PublishReadyToRun=true
          --phases spread|aligned   MQTT devices report at their own offset in each interval (default), or
                                all at its start: a burst of a whole interval's readings at once
          --fan-out 1,100       after the start-up, fleets of this many hazard-stream subscribers (a
                                connection each, in a process of their own) take turns, one phase each;
                                the report compares the alarm latency in the gateway at their sockets
          --fan-out-phase T     seconds of each fleet's phase, default 20
          --fan-out-priority normal|lowest   the fleets' CPU priority: that of the gateway (default)
                                or nice 19
        """;

    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new HarnessOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--sensors" => options with { Sensors = (int)Number(name, value) },
                "--rate" => options with { Rate = Number(name, value) },
                "--modbus-share" => options with { ModbusShare = Number(name, value) },
                "--points" => options with { Points = (int)Number(name, value) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Number(name, value)) },
                "--db" => options with { Database = value.ToLowerInvariant() switch
                {
                    "victoriametrics" => DatabaseKind.VictoriaMetrics,
                    "influxdb1" => DatabaseKind.InfluxDb1,
                    _ => throw new ArgumentException($"--db expects victoriametrics or influxdb1, not '{value}'"),
                } },
                "--scaling" => options with { Scaling = [.. value.Split(',').Select(s => (int)Number(name, s))] },
                "--probe-rate" => options with { ProbeRate = Number(name, value) },
                "--json" => options with { JsonFile = value },
                "--drain-timeout" => options with { DrainTimeout = TimeSpan.FromSeconds(Number(name, value)) },
                "--keep" => options with { KeepDirectory = Path.GetFullPath(value) },
                "--start-up" => options with { StartUp = TimeSpan.FromSeconds(Number(name, value)) },
                "--gateway" => options with { GatewayExecutable = File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--gateway: no file '{value}'") },
                "--phases" => options with { Aligned = value.ToLowerInvariant() switch
                {
                    "spread" => false,
                    "aligned" => true,
                    _ => throw new ArgumentException($"--phases expects spread or aligned, not '{value}'"),
                } },
                "--fan-out" => options with { FanOut = [.. value.Split(',').Select(s => (int)Number(name, s))] },
                "--fan-out-phase" => options with { FanOutPhase = TimeSpan.FromSeconds(Number(name, value)) },
                "--fan-out-priority" => options with { FanOutNiced = value.ToLowerInvariant() switch
                {
                    "lowest" => true,
                    "normal" => false,
                    _ => throw new ArgumentException($"--fan-out-priority expects lowest or normal, not '{value}'"),
                } },
                "--hold-before-load" => options with { HoldBeforeLoad = TimeSpan.FromSeconds(Number(name, value)) },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 || name == "--modbus-share" && number == 0
            ? number
            : throw new ArgumentException($"{name} expects a positive number, not '{value}'");
}

internal enum DatabaseKind
{
    VictoriaMetrics,
    InfluxDb1,
}
