namespace SensorGateway.Storage.Spool;

/// <summary>
/// Thrown by <see cref="IReadingSpool.AppendAsync"/> under <see cref="SpoolFullPolicy.RejectNew"/> when the
/// append does not fit in the quota. None of the append's readings were stored; they are counted as dropped.
/// </summary>
public sealed class SpoolFullException : IOException
{
    public SpoolFullException()
    {
    }

    public SpoolFullException(string message)
        : base(message)
    {
    }

    public SpoolFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The number of readings refused by this append.</summary>
    public int RejectedRecords { get; init; }
}
