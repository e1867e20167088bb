using System.Globalization;
using SensorGateway.Modbus;
using SensorGateway.Modbus.Client;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Host.Tools;

/// <summary>
/// <c>registers suggest --tcp HOST:PORT --unit N --table holding|input --address A --value V [--window 4]</c>:
/// reads the registers around an address from a live device and proposes the address offset, type, byte order
/// and scale that give the value the integrator knows (display reading, calibration gas).
/// </summary>
internal static class RegisterSuggestCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var endpoint = SiteCheck.Option(args, "--tcp");
        var table = SiteCheck.Option(args, "--table") ?? "holding";
        if (endpoint is null || endpoint.LastIndexOf(':') <= 0 ||
            !int.TryParse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture, out var port) ||
            !byte.TryParse(SiteCheck.Option(args, "--unit") ?? "1", CultureInfo.InvariantCulture, out var unit) ||
            !ushort.TryParse(SiteCheck.Option(args, "--address"), CultureInfo.InvariantCulture, out var address) ||
            !double.TryParse(SiteCheck.Option(args, "--value"), NumberStyles.Float, CultureInfo.InvariantCulture, out var known) ||
            !int.TryParse(SiteCheck.Option(args, "--window") ?? "4", CultureInfo.InvariantCulture, out var window) || window is < 0 or > 50 ||
            table is not ("holding" or "input"))
        {
            error.WriteLine("usage: registers suggest --tcp HOST:PORT --unit N --table holding|input --address A (zero-based) --value V [--window 0-50]");
            return 2;
        }

        var start = (ushort)Math.Max(0, address - window);
        var count = (ushort)Math.Min(125, address - start + window + 4);
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = endpoint[..endpoint.LastIndexOf(':')], Port = port, Retries = 1 });
        ushort[] registers;
        try
        {
            registers = table == "holding"
                ? await master.ReadHoldingRegistersAsync(unit, start, count, cancellationToken).ConfigureAwait(false)
                : await master.ReadInputRegistersAsync(unit, start, count, cancellationToken).ConfigureAwait(false);
        }
        catch (ModbusException ex)
        {
            error.WriteLine($"registers suggest: reading {table} {start}..{start + count - 1} from unit {unit} at {endpoint} failed: {ex.Message}");
            return 1;
        }

        output.WriteLine($"{table} {start}..{start + count - 1}: {string.Join(' ', registers.Select(r => r.ToString("X4", CultureInfo.InvariantCulture)))}");
        var suggestions = RegisterMapAdvisor.Suggest(registers, address - start, known);
        if (suggestions.Count == 0)
        {
            output.WriteLine($"No address near {address}, type, byte order or scale gives {known.ToString(CultureInfo.InvariantCulture)}; check the unit id, the table, or widen --window.");
            return 1;
        }

        foreach (var suggestion in suggestions.Take(10))
        {
            output.WriteLine("  " + suggestion.ToString().Replace("address ", $"address {address} ", StringComparison.Ordinal));
        }

        return 0;
    }
}
