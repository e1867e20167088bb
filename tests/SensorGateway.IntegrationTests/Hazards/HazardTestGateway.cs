using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using SensorGateway.Host;
using SensorGateway.IntegrationTests.Infrastructure;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>
/// The real gateway in-process for hazard-service tests: its own temporary folder (site file, hazard database),
/// free loopback ports, the embedded MQTT broker, and any extra settings (API keys, TLS).
/// </summary>
internal sealed class HazardTestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HazardTestGateway(WebApplication app, string directory, Uri grpcUrl, string topic)
    {
        _app = app;
        Directory = directory;
        GrpcUrl = grpcUrl;
        Topic = topic;
    }

    /// <summary>The MQTT topic of the site's one gas detector (channel <c>lel</c>, L1 at 25 %LEL, L2 at 50).</summary>
    public string Topic { get; }

    public string Directory { get; }

    public Uri GrpcUrl { get; }

    public IServiceProvider Services => _app.Services;

    public HazardDesk Desk => Services.GetRequiredService<HazardDesk>();

    public static async Task<HazardTestGateway> StartAsync(CancellationToken cancellationToken, string scheme = "http", params string[] settings)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("sg-hazards-it-").FullName;
        var site = TestSites.UniqueId("it-hz");
        var siteFile = Path.Combine(directory, "site.yaml");
        await File.WriteAllTextAsync(siteFile, TestSites.OneGasDetector(site, $"{site}/gd-01"), cancellationToken);
        int httpPort = FreePort.Next(), grpcPort = FreePort.Next();
        var grpcUrl = new Uri($"{scheme}://127.0.0.1:{grpcPort}");
        string[] args =
        [
            $"--Gateway:SiteFile={siteFile}",
            $"--Gateway:HttpUrl=http://127.0.0.1:{httpPort}",
            $"--Gateway:GrpcUrl={grpcUrl}",
            $"--Storage:LocalDirectory={Path.Combine(directory, "readings")}",
            $"--Hazards:DatabasePath={Path.Combine(directory, "hazards.db")}",
            "--Mqtt:Host=",
            "--Mqtt:EmbeddedPort=0",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var app = GatewayApplication.Build(args);
        await app.StartAsync(cancellationToken);
        return new HazardTestGateway(app, directory, grpcUrl, $"{site}/gd-01");
    }

    /// <summary>A client on a new channel; <paramref name="apiKey"/> goes into every call's metadata.</summary>
    public (HazardService.HazardServiceClient Client, GrpcChannel Channel) Connect(string? apiKey = null, HttpMessageHandler? handler = null)
    {
        var options = new GrpcChannelOptions { HttpHandler = handler };
        if (apiKey is not null)
        {
            options.Credentials = ChannelCredentials.Create(
                GrpcUrl.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
                CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("x-api-key", apiKey);
                    return Task.CompletedTask;
                }));
            options.UnsafeUseInsecureChannelCallCredentials = GrpcUrl.Scheme == "http";
        }

        var channel = GrpcChannel.ForAddress(GrpcUrl, options);
        return (new HazardService.HazardServiceClient(channel), channel);
    }

    /// <summary>Publishes one reading of the detector through the embedded broker, once the gateway has subscribed.</summary>
    public async Task PublishReadingAsync(double value, CancellationToken cancellationToken)
    {
        var source = Services.GetServices<IReadingSource>().OfType<MqttReadingSource>().Single();
        await Eventually.ReturnsAsync(_ => Task.FromResult(source.IsSubscribed ? source : null), "the MQTT subscription", cancellationToken);
        await using var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", Services.GetRequiredService<EmbeddedMqttBroker>().Port, cancellationToken);
        await device.PublishReadingAsync(Topic, 1, value, DateTimeOffset.UtcNow, cancellationToken);
    }

    /// <summary>Opens a hazard record the way the pipeline does: an alarm event into the desk.</summary>
    public async Task<string> OpenRecordAsync(string channel, CancellationToken cancellationToken)
    {
        var before = Desk.LastSequence;
        await Desk.PublishAsync(Alarm(channel), cancellationToken);
        var subscription = Desk.Subscribe(before);
        using (subscription)
        {
            await foreach (var e in subscription.ReadAllAsync(cancellationToken))
            {
                return e.Record.Id;
            }
        }

        throw new InvalidOperationException("no event");
    }

    public static AlarmEvent Alarm(string channel, int second = 0)
    {
        var id = new ChannelId("it-site", "gd-01", channel);
        var time = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero).AddSeconds(second);
        var reading = new Reading(id, "gas.combustible", "%LEL", 30, Quality.Good, time, time, second);
        return new AlarmEvent(id, "gas.combustible.level", AlarmEventKind.Raised, Core.Alarms.AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 25, reading, time, "test alarm");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
