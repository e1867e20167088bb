using System.Diagnostics.Metrics;
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
        "SensorGateway.Hazards",
    ];

    /// <summary>Structured console logs, OpenTelemetry metrics on <c>/metrics</c>, and health checks.</summary>
    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(s_meters)
            .AddView(CardinalityOf)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<PipelineHealthCheck>("pipeline", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Series kept per metric. OpenTelemetry allocates every metric's points up front — 2,000 by default, ~144 KB per
    /// metric, 10 MB for the gateway's ~70 — while ours are tagged by site, level, outcome or reason: a few dozen series.
    /// MQTT rejections are tagged by device and keep the default; histograms are left alone (their buckets come from
    /// the instrument).
    /// </summary>
    internal const int SeriesPerMetric = 256;

    internal static MetricStreamConfiguration? CardinalityOf(Instrument instrument) =>
        instrument.Name == "sg.mqtt.rejected" || IsHistogram(instrument)
            ? null
            : new MetricStreamConfiguration { CardinalityLimit = SeriesPerMetric };

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    public static WebApplication MapGatewayTelemetry(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
