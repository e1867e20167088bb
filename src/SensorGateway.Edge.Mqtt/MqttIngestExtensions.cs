using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Mqtt;

public static class MqttIngestExtensions
{
    /// <summary>
    /// Registers MQTT ingest for the MQTT devices of every site, and the embedded broker when <c>Mqtt:Host</c> is empty.
    /// <code>"Mqtt": { "Host": "", "EmbeddedPort": 1883 }</code>
    /// </summary>
    public static IHostApplicationBuilder AddMqttIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MqttIngestOptions>()
            .Bind(builder.Configuration.GetSection(MqttIngestOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.ReconnectMinDelay > TimeSpan.Zero && o.ReconnectMaxDelay >= o.ReconnectMinDelay,
                "Mqtt:ReconnectMinDelay must be positive and not above Mqtt:ReconnectMaxDelay.")
            .Validate(o => o.UsesEmbeddedBroker || !string.IsNullOrEmpty(o.Host), "Mqtt:Host is invalid.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmbeddedMqttBroker>();
        builder.Services.AddHostedService<EmbeddedBrokerService>();
        builder.Services.AddSingleton<IReadingSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MqttIngestOptions>>();
            return new MqttReadingSource(
                sp.GetRequiredService<GatewaySites>().Devices,
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MqttReadingSource>>(),
                options.Value.UsesEmbeddedBroker ? sp.GetRequiredService<EmbeddedMqttBroker>() : null,
                sp.GetService<FirmwareProfileCatalog>(),
                sp.GetService<IReadingDurability>());
        });
        return builder;
    }

    /// <summary>Starts the embedded broker before the ingest client connects, and stops it last.</summary>
    private sealed class EmbeddedBrokerService(EmbeddedMqttBroker broker, IOptions<MqttIngestOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            options.Value.UsesEmbeddedBroker ? broker.StartAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => broker.StopAsync();
    }
}
