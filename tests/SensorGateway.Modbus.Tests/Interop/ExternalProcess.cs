using System.Diagnostics;
using System.Text;

namespace SensorGateway.Modbus.Tests.Interop;

/// <summary>
/// A child process of an interop test. Missing tools fail the test with the Debian package to install, never skip.
/// Only processes started here are killed, by their own handle.
/// </summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ExternalProcess(Process process)
    {
        _process = process;
    }

    public static string Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Interop test needs {path}; install the Debian package '{package}' (apt-get install {package}).");
        }

        return path;
    }

    public static string Python()
    {
        var python = Require("/usr/bin/python3", "python3-pymodbus");
        var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import pymodbus, serial, serial_asyncio"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                "Interop test needs pymodbus with pyserial for /usr/bin/python3; install 'python3-pymodbus python3-serial python3-serial-asyncio'. "
                + probe.StandardError.ReadToEnd());
        }

        return python;
    }

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    public static ExternalProcess Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var external = new ExternalProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (external._stderr)
            {
                external._stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return external;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        await using var process = Start(file, arguments);
        var output = await process._process.StandardOutput.ReadToEndAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await process._process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return (process._process.ExitCode, output + process.Errors);
    }

    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Next stdout line; a process that exits first fails the test with its stderr.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(LineTimeout, cancellationToken);
        return line ?? throw new InvalidOperationException($"{_process.StartInfo.FileName} exited before printing: {Errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
