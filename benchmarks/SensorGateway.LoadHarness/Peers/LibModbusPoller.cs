using System.Diagnostics;
using System.Globalization;

namespace SensorGateway.LoadHarness.Peers;

/// <summary>
/// The Modbus reference: libmodbus's C master (tests/SensorGateway.Modbus.Tests/Interop/libmodbus_client.c, built
/// here with gcc and pkg-config) reading 20 holding registers from every unit of one simulated endpoint in turn,
/// one request at a time, as fast as it can.
/// </summary>
internal static class LibModbusPoller
{
    public sealed record Result(double RequestsPerSecond, double P50Microseconds, double P99Microseconds, long Errors);

    public static async Task<Result> RunAsync(string folder, int port, int units, TimeSpan duration, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(folder, "libmodbus_client");
        var source = Path.Combine(AppContext.BaseDirectory, "libmodbus_client.c");
        await RunAsync("/bin/sh", ["-c", $"gcc -O2 -o '{binary}' '{source}' $(pkg-config --cflags --libs libmodbus)"], cancellationToken).ConfigureAwait(false);
        var output = (await RunAsync(binary,
            [port.ToString(CultureInfo.InvariantCulture), "1", units.ToString(CultureInfo.InvariantCulture), duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false)).Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new Result(
            double.Parse(output[0], CultureInfo.InvariantCulture) / duration.TotalSeconds,
            double.Parse(output[2], CultureInfo.InvariantCulture),
            double.Parse(output[3], CultureInfo.InvariantCulture),
            long.Parse(output[1], CultureInfo.InvariantCulture));
    }

    private static async Task<string> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0
            ? await output.ConfigureAwait(false)
            : throw new InvalidOperationException($"{Path.GetFileName(program)} failed (install gcc, pkg-config, libmodbus-dev): {await errors.ConfigureAwait(false)}");
    }
}
