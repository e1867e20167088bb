namespace SensorGateway.Modbus.Tests.Interop;

/// <summary>Builds the libmodbus helpers once per test run into a temporary directory.</summary>
internal static class InteropBinaries
{
    private static readonly Lazy<Task<string>> s_directory = new(BuildAsync);

    public static async Task<string> LibModbusServerAsync() => Path.Combine(await s_directory.Value, "libmodbus_server");

    public static async Task<string> LibModbusClientAsync() => Path.Combine(await s_directory.Value, "libmodbus_client");

    private static async Task<string> BuildAsync()
    {
        var gcc = ExternalProcess.Require("/usr/bin/gcc", "gcc");
        ExternalProcess.Require("/usr/include/modbus/modbus.h", "libmodbus-dev");
        var (pkgExit, flags) = await ExternalProcess.RunAsync(
            ExternalProcess.Require("/usr/bin/pkg-config", "pkg-config"), ["--cflags", "--libs", "libmodbus"], CancellationToken.None);
        if (pkgExit != 0)
        {
            throw new InvalidOperationException("pkg-config does not know libmodbus; install libmodbus-dev. " + flags);
        }

        var directory = Directory.CreateTempSubdirectory("sg-modbus-interop-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        foreach (var name in new[] { "libmodbus_server", "libmodbus_client" })
        {
            string[] arguments = ["-O2", "-o", Path.Combine(directory, name), ExternalProcess.Script(name + ".c"), .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            var (exit, output) = await ExternalProcess.RunAsync(gcc, arguments, CancellationToken.None);
            if (exit != 0)
            {
                throw new InvalidOperationException($"gcc failed building {name}: {output}");
            }
        }

        return directory;
    }
}
