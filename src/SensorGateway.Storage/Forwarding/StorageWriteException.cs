namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// A database write that did not succeed, classified: <see cref="Rejected"/> points are invalid (HTTP 400/422,
/// field-type conflict) and will never be accepted; anything else is transient and retried, after
/// <see cref="RetryAfter"/> when the server said so (429, 503).
/// </summary>
public sealed class StorageWriteException : Exception
{
    public StorageWriteException()
    {
    }

    public StorageWriteException(string message)
        : base(message)
    {
    }

    public StorageWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StorageWriteException(string message, bool rejected, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        Rejected = rejected;
        RetryAfter = retryAfter;
    }

    public bool Rejected { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>Classifies an HTTP status from the database.</summary>
    public static StorageWriteException FromStatus(int status, string detail, TimeSpan? retryAfter, Exception? inner = null) =>
        new($"database answered {status}: {detail}", status is 400 or 422, retryAfter, inner);
}
