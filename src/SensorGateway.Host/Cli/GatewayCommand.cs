namespace SensorGateway.Host.Cli;

/// <summary>
/// The executable's verbs. Everything after the verb is configuration in <c>--Section:Key=value</c> form,
/// so every setting of appsettings.json can be given on the command line.
/// </summary>
internal sealed record GatewayCommand(string Verb, string[] ConfigurationArgs)
{
    public const string Run = "run";
    public const string Demo = "demo";
    public const string Check = "check";
    public const string Help = "help";
    public const string Alarms = "alarms";
    public const string Hazards = "hazards";
    public const string ApiKey = "apikey";
    public const string Registers = "registers";
    public const string Spool = "spool";

    public static GatewayCommand Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("-h" or "--help"))
        {
            return new GatewayCommand(Run, args);
        }

        var verb = args[0] switch
        {
            "-h" or "--help" => Help,
            var v => v.ToLowerInvariant(),
        };
        var rest = args[1..];
        return verb switch
        {
            Demo => new GatewayCommand(Demo, [.. DemoDefaults(rest), .. rest.Where(a => a != "--follow")]),
            Run or Check or Help or Alarms or Hazards or ApiKey or Registers or Spool => new GatewayCommand(verb, rest),
            _ => new GatewayCommand(Help, [$"unknown command '{args[0]}'"]),
        };
    }

    // The demo needs nothing installed and must not clash with a gateway already running on the machine. Its two sites
    // and their scenarios are lists, which configuration merges entry by entry: a command line naming its own site
    // files or scenarios replaces the defaults whole instead of overwriting only their first entries.
    private static string[] DemoDefaults(string[] rest) =>
    [
        .. Names(rest, "--Gateway:SiteFile") ? [] : s_demoSiteFiles.Select((file, i) => $"--Gateway:SiteFiles:{i}={file}"),
        .. Names(rest, "--Demo:Scenario") ? [] : s_demoScenarios.Select((file, i) => $"--Demo:Scenarios:{i}={file}"),
        "--Demo:Enabled=true",
        "--Mqtt:Host=",
        "--Mqtt:EmbeddedPort=0",
        "--Storage:Mode=Local",
        "--Storage:LocalDirectory=data/demo",
        .. rest.Contains("--follow") ? ["--Demo:Follow=true"] : Array.Empty<string>(),
    ];

    private static readonly string[] s_demoSiteFiles = ["sites/demo-fuel-station.yaml", "sites/chemical-tank-farm.yaml"];
    private static readonly string[] s_demoScenarios = ["scenarios/demo-fuel-leak.yaml", "scenarios/demo-farm-overfill.yaml"];

    private static bool Names(string[] args, string keyPrefix) => args.Any(a => a.StartsWith(keyPrefix, StringComparison.OrdinalIgnoreCase));

    public const string Usage = """
        SensorGateway — sensor ingestion and alarm gateway

        Usage:
          sensorgateway [run] [--Section:Key=value ...]   run the gateway (settings from appsettings.json, SG_* environment, command line)
          sensorgateway demo [--follow] [--Section:Key=value ...]
                                                          play a fuel station's leak and a tank farm's overfill (MQTT and Modbus devices)
                                                          on the embedded broker, then report per site (--follow keeps running;
                                                          --Demo:Speed=4 plays it 4x faster)
          sensorgateway check --site FILE [--profiles DIR] [--device ID]
                                                          validate profiles and a site file; print channels and the exact Modbus requests (dry run)
          sensorgateway registers suggest --tcp HOST:PORT --unit N --table holding|input --address A --value V [--window N]
                                                          read registers around A and propose the offset, type, byte order and scale giving V
          sensorgateway spool export --dir DIR [--sector CODE] [--out FILE]
          sensorgateway spool forward --dir DIR --mode InfluxV1|InfluxV2 --url URL [--database DB | --org O --bucket B --token T]
                                                          export the local store as line protocol, or forward it to a database
          sensorgateway help                              show this text

        Duty officers (against a running gateway; see docs/HAZARDS.md):
          sensorgateway alarms watch [--min-level 2] --server URL --api-key KEY   live alarms and hazard events, resumes after reconnects
          sensorgateway hazards list|show|ack|grade|start|submit|verify|close|withdraw|shelve|unshelve [ID] [options]
          sensorgateway apikey new --name NAME --role viewer|officer|supervisor|admin

        Examples:
          sensorgateway --Gateway:SiteFile=sites/my-site.yaml --Storage:Mode=InfluxV2 --Storage:Url=http://db:8086
          sensorgateway demo --Demo:StopAfter=00:01:00
          sensorgateway hazards ack YH-20261129-0001 --operator "Wang Wei" --note "on site"
          sensorgateway hazards grade YH-20261129-0001 --grade major --measures "replace seal" --funds "CNY 8000" --responsible "Li Na" --deadline 2026-12-15 --interim "isolate pump 3"
        """;
}
