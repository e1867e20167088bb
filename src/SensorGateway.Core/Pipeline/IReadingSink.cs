using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Pipeline;

/// <summary>The storage stage: where every reading goes, whatever its quality.</summary>
public interface IReadingSink
{
    /// <summary>
    /// Takes a batch. When the returned task completes the batch is accepted: the sink owns it from then
    /// on and must not lose it. The caller may reuse <paramref name="batch"/>'s memory afterwards.
    /// </summary>
    ValueTask AcceptAsync(ReadOnlyMemory<Reading> batch, CancellationToken cancellationToken);

    /// <summary>Pushes out whatever is buffered, e.g. at shutdown.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
