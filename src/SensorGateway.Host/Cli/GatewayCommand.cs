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
            Demo => new GatewayCommand(Demo, [.. DemoDefaults(rest), .. rest]),
            Run or Check or Help => new GatewayCommand(verb, rest),
            _ => new GatewayCommand(Help, [$"unknown command '{args[0]}'"]),
        };
    }

    // The demo needs nothing installed and must not clash with a gateway already running on the machine.
    private static string[] DemoDefaults(string[] rest) =>
    [
        "--Gateway:SiteFile=sites/demo-fuel-station.yaml",
        "--Demo:Enabled=true",
        "--Mqtt:Host=",
        "--Mqtt:EmbeddedPort=0",
        "--Storage:Mode=Local",
        "--Storage:LocalDirectory=data/demo",
        .. rest.Contains("--follow") ? Array.Empty<string>() : [],
    ];

    public const string Usage = """
        SensorGateway — sensor ingestion and alarm gateway

        Usage:
          sensorgateway [run] [--Section:Key=value ...]   run the gateway (settings from appsettings.json, SG_* environment, command line)
          sensorgateway demo [--Section:Key=value ...]    run on the embedded broker with a simulated fuel station and a gas leak
          sensorgateway check --site FILE                 validate a site file and print its devices and channels
          sensorgateway help                              show this text

        Examples:
          sensorgateway --Gateway:SiteFile=sites/my-site.yaml --Storage:Mode=InfluxV2 --Storage:Url=http://db:8086
          sensorgateway demo --Demo:StopAfter=00:01:00
        """;
}
