using System.Globalization;
using SensorGateway.Simulators.Scenarios;

namespace SensorGateway.Simulators.Cli;

/// <summary><c>--name value</c> pairs after the verb, with typed getters that name the option in their errors.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public CliArguments(IEnumerable<string> args)
    {
        string? key = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                key = arg[2..];
                _values[key] = "true";
            }
            else if (key is not null)
            {
                _values[key] = arg;
                key = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }
        }
    }

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string Required(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public double Number(string name, double fallback) =>
        !_values.TryGetValue(name, out var v) ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : throw new ArgumentException($"--{name} expects a number, not '{v}'");

    public TimeSpan Duration(string name, TimeSpan fallback) =>
        !_values.TryGetValue(name, out var v) ? fallback
        : ScenarioLoader.TryParseDuration(v, out var d) ? d
        : throw new ArgumentException($"--{name} expects a duration such as 30s or 5m, not '{v}'");

    /// <summary><c>host:port</c>, default port 1883.</summary>
    public (string Host, int Port) Endpoint(string name, string fallback)
    {
        var text = String(name, fallback);
        var colon = text.LastIndexOf(':');
        return colon < 0 ? (text, 1883) : (text[..colon], int.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}
