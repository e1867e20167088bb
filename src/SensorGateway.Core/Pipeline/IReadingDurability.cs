namespace SensorGateway.Core.Pipeline;

/// <summary>
/// Lets an adapter acknowledge its source only once what it handed over is safe: readings are counted as
/// they are accepted, and a task completes when everything accepted up to a count has been stored durably
/// (or, if storage had to drop it, counted as dropped and reported as a fault).
/// </summary>
public interface IReadingDurability
{
    /// <summary>Readings handed to storage so far.</summary>
    long Accepted { get; }

    /// <summary>Completes when the first <paramref name="count"/> accepted readings are durable (or dropped and counted).</summary>
    Task WhenDurableAsync(long count, CancellationToken cancellationToken);
}
