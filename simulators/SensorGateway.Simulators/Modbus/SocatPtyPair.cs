using System.Diagnostics;

namespace SensorGateway.Simulators.Modbus;

/// <summary>
/// A virtual serial line: socat joins two pseudo-terminals, one linked at the path the site file names (the
/// gateway opens it as its serial port) and one at that path plus <c>.sim</c> (the simulated slave serves it).
/// Needs <c>socat</c> on the PATH (Debian package socat).
/// </summary>
public sealed class SocatPtyPair : IAsyncDisposable
{
    private readonly Process _process;

    private SocatPtyPair(Process process, string gatewayEnd)
    {
        _process = process;
        GatewayEnd = gatewayEnd;
        SimulatorEnd = gatewayEnd + ".sim";
    }

    public string GatewayEnd { get; }

    public string SimulatorEnd { get; }

    /// <summary>Starts socat and returns once it reports that both ends are open.</summary>
    public static async Task<SocatPtyPair> StartAsync(string gatewayEnd, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayEnd);
        var start = new ProcessStartInfo("socat")
        {
            ArgumentList = { "-d", "-d", $"pty,raw,echo=0,link={gatewayEnd}", $"pty,raw,echo=0,link={gatewayEnd}.sim" },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("socat could not be started; install the socat package.");
        var pair = new SocatPtyPair(process, gatewayEnd);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            while (await process.StandardError.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Contains("starting data transfer loop", StringComparison.Ordinal))
                {
                    _ = DrainAsync(process);
                    return pair;
                }
            }

            throw new InvalidOperationException($"socat exited before opening {gatewayEnd} (exit code {(process.HasExited ? process.ExitCode : -1)}).");
        }
        catch
        {
            await pair.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DrainAsync(Process process)
    {
        try
        {
            await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // socat was stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
