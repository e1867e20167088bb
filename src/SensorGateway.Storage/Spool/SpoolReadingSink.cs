using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool;

/// <summary>
/// The pipeline's storage stage when readings go through a spool: a batch is accepted once the spool has
/// stored it (per its fsync policy). A forwarder takes batches from the same spool and writes them on.
/// </summary>
public sealed class SpoolReadingSink : IReadingSink
{
    private readonly IReadingSpool _spool;

    public SpoolReadingSink(IReadingSpool spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        _spool = spool;
    }

    /// <inheritdoc/>
    /// <exception cref="SpoolFullException">The spool's quota is full under <see cref="SpoolFullPolicy.RejectNew"/>.</exception>
    public ValueTask AcceptAsync(ReadOnlyMemory<Reading> batch, CancellationToken cancellationToken) =>
        _spool.AppendAsync(batch, cancellationToken);

    /// <summary>Nothing to do: every accepted batch is already in the spool.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
