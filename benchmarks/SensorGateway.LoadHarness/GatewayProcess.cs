using System.Reflection;
using SensorGateway.LoadHarness.Measurement;
using SensorGateway.LoadHarness.Servers;

namespace SensorGateway.LoadHarness;

/// <summary>
/// The real gateway executable (built with the harness, same configuration) as its own process, so its CPU,
/// peak RSS and GC pauses are its own; configured on the command line like an installation would be.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly HttpClient _http;

    private GatewayProcess(ChildProcess process, Uri httpUrl, Uri grpcUrl)
    {
        Process = process;
        GrpcUrl = grpcUrl;
        _http = new HttpClient { BaseAddress = httpUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ChildProcess Process { get; }

    public Uri GrpcUrl { get; }

    public static async Task<GatewayProcess> StartAsync(string folder, string siteFile, int mqttPort, IReadingDatabase database, string? executable, CancellationToken cancellationToken)
    {
        var httpUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var grpcUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        string[] arguments =
        [
            "run",
            $"--Gateway:SiteFile={siteFile}",
            $"--Gateway:ProfilesDirectory={Path.Combine(AppContext.BaseDirectory, "firmware-profiles")}",
            $"--Gateway:HttpUrl={httpUrl.ToString().TrimEnd('/')}",
            $"--Gateway:GrpcUrl={grpcUrl.ToString().TrimEnd('/')}",
            "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={mqttPort}", "--Mqtt:ClientId=sensorgateway-load",
            $"--Mqtt:DeadLetterDirectory={Path.Combine(folder, "dead-letters")}",
            $"--Spool:Directory={Path.Combine(folder, "spool")}",
            $"--Hazards:DatabasePath={Path.Combine(folder, "hazards.db")}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:SensorGateway.Edge.Mqtt=Information",
            .. database.GatewayArguments,
        ];
        var process = ChildProcess.Start("gateway", executable ?? Executable(), arguments, folder);
        var gateway = new GatewayProcess(process, httpUrl, grpcUrl);
        try
        {
            await process.WaitUntilReadyAsync(async ct => (await gateway._http.GetAsync(new Uri("health/ready", UriKind.Relative), ct).ConfigureAwait(false)).IsSuccessStatusCode,
                TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return gateway;
    }

    public ProcessUsage Usage() => ProcessUsage.Read(Process.Id);

    public async Task<PrometheusText> ScrapeAsync(CancellationToken cancellationToken) =>
        new(await _http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false));

    /// <summary>A scrape, or null when the gateway does not answer within the client's 30 s (itself a finding under overload).</summary>
    public async Task<PrometheusText?> TryScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ScrapeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// <c>src/SensorGateway.Host/bin/CONFIGURATION/net10.0/sensorgateway</c> of this checkout: the project reference
    /// builds it with the harness, in the harness's own configuration.
    /// </summary>
    private static string Executable()
    {
        var configuration = typeof(GatewayProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SensorGateway.sln")))
        {
            directory = directory.Parent;
        }

        var executable = directory is null ? null : Path.Combine(directory.FullName, "src", "SensorGateway.Host", "bin", configuration, "net10.0", "sensorgateway");
        return File.Exists(executable) ? executable : throw new FileNotFoundException($"The gateway executable is not built: {executable ?? "no SensorGateway.sln above " + AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
