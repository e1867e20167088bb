namespace SensorGateway.Grpc.Hazards;

/// <summary>No hazard record has the given id.</summary>
public sealed class HazardNotFoundException : Exception
{
    public HazardNotFoundException()
    {
    }

    public HazardNotFoundException(string message)
        : base(message)
    {
    }

    public HazardNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
