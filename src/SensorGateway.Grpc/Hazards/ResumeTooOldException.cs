namespace SensorGateway.Grpc.Hazards;

/// <summary>A client asked to resume after a sequence the log no longer holds.</summary>
public sealed class ResumeTooOldException : Exception
{
    public ResumeTooOldException()
    {
    }

    public ResumeTooOldException(string message)
        : base(message)
    {
    }

    public ResumeTooOldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResumeTooOldException(ulong requested, ulong oldestRetained)
        : base($"Cannot resume after sequence {requested}: the oldest retained event is {oldestRetained}. Re-read the current state, then subscribe again.")
    {
        OldestRetained = oldestRetained;
    }

    public ulong OldestRetained { get; }
}
