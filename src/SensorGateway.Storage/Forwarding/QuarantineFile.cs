using System.Text;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// Points the database refused as invalid, kept as line protocol with the reason in a comment line above each,
/// in <c>quarantine-YYYYMMDD.lp</c>: they leave the queue so the rest flows, and nothing is silently lost.
/// </summary>
public sealed class QuarantineFile(string directory, LineProtocol lineProtocol, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public string Directory => directory;

    public void Write(in Reading reading, string reason)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder(256).Append("# ").Append(now.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
            .Append(' ').Append(reason.ReplaceLineEndings(" ")).Append('\n');
        lineProtocol.Append(text, reading);
        text.Append('\n');
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(directory);
            File.AppendAllText(Path.Combine(directory, $"quarantine-{now:yyyyMMdd}.lp"), text.ToString());
        }

        Interlocked.Increment(ref _count);
    }
}
