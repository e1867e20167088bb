namespace SensorGateway.Grpc.Hazards;

/// <summary>The alarm engine did not take a shelve or unshelve command (e.g. nothing to unshelve).</summary>
public sealed class AlarmCommandRejectedException : Exception
{
    public AlarmCommandRejectedException()
    {
    }

    public AlarmCommandRejectedException(string message)
        : base(message)
    {
    }

    public AlarmCommandRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
