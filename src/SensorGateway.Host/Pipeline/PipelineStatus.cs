namespace SensorGateway.Host.Pipeline;

public enum PipelineStatus
{
    Starting = 0,
    Running,
    Stopping,
    Stopped,
    Failed,
}
