using SensorGateway.Grpc.Security;

namespace SensorGateway.Host.Cli;

/// <summary><c>apikey new --name N --role R</c>: a new API key, printed once, and its hashed configuration entry.</summary>
internal static class ApiKeyCommand
{
    public const string Usage = """
          sensorgateway apikey new --name NAME --role viewer|officer|supervisor|admin
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var cli = new CliArguments(args);
        var name = cli.Get("name", "");
        var role = cli.Get("role", "").ToLowerInvariant();
        if (cli.Positional is not ["new"] || name.Length == 0 || role is not ("viewer" or "officer" or "supervisor" or "admin"))
        {
            error.WriteLine("apikey: sensorgateway apikey new --name NAME --role viewer|officer|supervisor|admin");
            return 2;
        }

        var (key, salt, hash) = ApiKeyHasher.Create();
        output.WriteLine($"API key for {name} ({role}) — give it to its holder; it is not stored anywhere:");
        output.WriteLine($"  {key}");
        output.WriteLine("Add to HazardApi:Keys in appsettings.json:");
        output.WriteLine($$"""  { "Name": "{{name}}", "Role": "{{role}}", "Salt": "{{salt}}", "Hash": "{{hash}}" }""");
        return 0;
    }
}
