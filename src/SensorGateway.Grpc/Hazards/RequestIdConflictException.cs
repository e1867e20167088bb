namespace SensorGateway.Grpc.Hazards;

/// <summary>A request id was already used for a different command (another record or another step).</summary>
public sealed class RequestIdConflictException : Exception
{
    public RequestIdConflictException()
    {
    }

    public RequestIdConflictException(string message)
        : base(message)
    {
    }

    public RequestIdConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
