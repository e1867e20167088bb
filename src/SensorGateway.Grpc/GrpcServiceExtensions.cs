using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SensorGateway.Core.Pipeline;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Services;

namespace SensorGateway.Grpc;

public static class GrpcServiceExtensions
{
    /// <summary>
    /// Registers the hazard event log (the alarm publisher), the gRPC services, reflection and gRPC health.
    /// <code>"HazardLog": { "RetainedEvents": 100000, "SubscriberBuffer": 10000 }</code>
    /// </summary>
    public static IHostApplicationBuilder AddHazardService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HazardEventLogOptions>()
            .Bind(builder.Configuration.GetSection(HazardEventLogOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HazardEventLog>();
        builder.Services.AddSingleton<IAlarmPublisher>(sp => sp.GetRequiredService<HazardEventLog>());
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("gateway", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        return builder;
    }

    public static IEndpointRouteBuilder MapHazardService(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<HazardGrpcService>();
        endpoints.MapGrpcReflectionService();
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }
}
