using Microsoft.Extensions.Diagnostics.HealthChecks;
using SensorGateway.Host.Pipeline;

namespace SensorGateway.Host.Telemetry;

/// <summary>Ready once the reading pipeline runs; degraded while storage drops readings.</summary>
internal sealed class PipelineHealthCheck(ReadingPipeline pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pipeline.Status switch
        {
            PipelineStatus.Running when pipeline.StorageDropped == 0 => HealthCheckResult.Healthy("pipeline running"),
            PipelineStatus.Running => HealthCheckResult.Degraded($"storage queue overflowed: {pipeline.StorageDropped} readings dropped"),
            var status => HealthCheckResult.Unhealthy($"pipeline {status}"),
        });
}
