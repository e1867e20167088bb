using System.Text;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Influx;

/// <summary>
/// The embedded default: one line-protocol file per UTC day in a local folder, ready to be imported into
/// InfluxDB later (<c>influx write</c> or <c>curl --data-binary</c>). Each batch is flushed to disk before it is accepted.
/// </summary>
public sealed class LocalLineProtocolSink(IOptions<StorageOptions> options, LineProtocol lineProtocol, TimeProvider time) : IReadingSink
{
    private readonly string _directory = options.Value.LocalDirectory;

    public async ValueTask AcceptAsync(ReadOnlyMemory<Reading> batch, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, $"readings-{time.GetUtcNow():yyyyMMdd}.lp");
        var body = new StringBuilder(batch.Length * 160);
        foreach (var reading in batch.Span)
        {
            lineProtocol.Append(body, reading);
            body.Append('\n');
        }

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(body.ToString()), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
