using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace SensorGateway.Host.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Every meter of the gateway, exported on the Prometheus endpoint.</summary>
    private static readonly string[] s_meters =
    [
        "SensorGateway.Pipeline", "SensorGateway.Alarms", "SensorGateway.Edge.Mqtt", "SensorGateway.Edge.Modbus",
        "SensorGateway.Modbus", "SensorGateway.Storage", "SensorGateway.Storage.Forwarder", "SensorGateway.Spool",
    ];

    /// <summary>Structured console logs, OpenTelemetry metrics on <c>/metrics</c>, and health checks.</summary>
    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(s_meters)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<PipelineHealthCheck>("pipeline", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapGatewayTelemetry(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
