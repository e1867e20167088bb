namespace SensorGateway.Modbus.Tests.Interop;

/// <summary>Two linked pseudo-terminals from socat: a virtual null-modem cable between /A and /B.</summary>
internal sealed class SocatPtyPair : IAsyncDisposable
{
    private readonly ExternalProcess _socat;
    private readonly string _directory;

    private SocatPtyPair(ExternalProcess socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    public string A => Path.Combine(_directory, "a");

    public string B => Path.Combine(_directory, "b");

    public static async Task<SocatPtyPair> StartAsync(CancellationToken cancellationToken)
    {
        var socat = ExternalProcess.Require("/usr/bin/socat", "socat");
        var directory = Directory.CreateTempSubdirectory("sg-modbus-pty-").FullName;

        // socat prints the pty names on stderr; "-d -d" adds the line that says both links exist. A tiny shell wrapper
        // moves stderr to stdout so the readiness line can be awaited.
        var process = ExternalProcess.Start(
            "/bin/sh",
            "-c",
            $"exec {socat} -d -d pty,raw,echo=0,link={directory}/a pty,raw,echo=0,link={directory}/b 2>&1");
        var pair = new SocatPtyPair(process, directory);
        while (!(await process.ReadLineAsync(cancellationToken)).Contains("starting data transfer loop", StringComparison.Ordinal))
        {
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
