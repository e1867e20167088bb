using SensorGateway.Edge.Modbus;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc;
using SensorGateway.Host.Configuration;
using SensorGateway.Host.Demo;
using SensorGateway.Host.Hazards;
using SensorGateway.Host.Pipeline;
using SensorGateway.Host.Telemetry;
using SensorGateway.Storage;

namespace SensorGateway.Host;

/// <summary>
/// The composition root, as a table of contents: each area registers itself. Kept apart from Program so
/// that tests host the very same gateway in-process.
/// </summary>
public static class GatewayApplication
{
    /// <exception cref="Profiles.ConfigurationFileException">The site file is missing or invalid.</exception>
    public static WebApplication Build(string[] configurationArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("SG_");
        builder.Configuration.AddCommandLine(configurationArgs);

        builder.AddGatewaySite();
        builder.AddGatewayTelemetry();
        builder.AddGatewayEndpoints();
        builder.AddMqttIngest();
        builder.AddModbusPolling();
        builder.AddReadingStorage();
        builder.Services.AddHostedService<Storage.StorageFaultReporter>();
        builder.AddGatewayHazards();

        // Hosted services start in this order: the demo's simulated Modbus slaves are bound before the pipeline starts polling.
        builder.AddDemoSimulator();
        builder.AddReadingPipeline();

        var app = builder.Build();
        app.MapGatewayTelemetry();
        app.MapHazardService();
        return app;
    }
}
