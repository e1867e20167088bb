using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Core.Pipeline;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.V1;
using SensorGateway.Host;

namespace SensorGateway.IntegrationTests.Infrastructure;

/// <summary>The real gateway, hosted in-process on free loopback ports with a temporary site file and data folder.</summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private RunningGateway(WebApplication app, string directory, int httpPort, int grpcPort)
    {
        _app = app;
        Directory = directory;
        HttpUrl = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcUrl = new Uri($"http://127.0.0.1:{grpcPort}");
        _channel = GrpcChannel.ForAddress(GrpcUrl);
        Hazards = new HazardService.HazardServiceClient(_channel);
    }

    public string Directory { get; }

    public Uri HttpUrl { get; }

    public Uri GrpcUrl { get; }

    public IServiceProvider Services => _app.Services;

    public HazardService.HazardServiceClient Hazards { get; }

    /// <param name="directory">A folder to reuse (a restart); null for a fresh temporary one.</param>
    public static async Task<RunningGateway> StartAsync(string siteYaml, IEnumerable<string> settings, CancellationToken cancellationToken, string? directory = null)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("sensorgateway-it-").FullName;
        var siteFile = Path.Combine(directory, "site.yaml");
        await File.WriteAllTextAsync(siteFile, siteYaml, cancellationToken);
        int httpPort = FreePort.Next(), grpcPort = FreePort.Next();
        string[] args =
        [
            $"--Gateway:SiteFile={siteFile}",
            $"--Gateway:HttpUrl=http://127.0.0.1:{httpPort}",
            $"--Gateway:GrpcUrl=http://127.0.0.1:{grpcPort}",
            $"--Storage:LocalDirectory={Path.Combine(directory, "readings")}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var app = GatewayApplication.Build(args);
        await app.StartAsync(cancellationToken);
        return new RunningGateway(app, directory, httpPort, grpcPort);
    }

    /// <summary>Waits until the gateway's MQTT client has subscribed to every device topic.</summary>
    public Task WhenMqttSubscribedAsync(CancellationToken cancellationToken)
    {
        var source = Services.GetServices<IReadingSource>().OfType<MqttReadingSource>().Single();
        return Eventually.ReturnsAsync(_ => Task.FromResult(source.IsSubscribed ? source : null), "the MQTT subscription", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <summary>Keep the folder when disposed, for a restart on the same state.</summary>
    public bool KeepDirectory { get; set; }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        if (!KeepDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
