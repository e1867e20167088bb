using System.Diagnostics;

namespace SensorGateway.Testing;

/// <summary>A VictoriaMetrics single-node server of the caller's own (the Debian package's binary).</summary>
internal sealed class LocalVictoriaMetrics() : LocalDatabase("victoria-metrics")
{
    protected override string ReadyPath => "health";

    // A zero latency offset makes just-written samples visible to queries at once.
    protected override ProcessStartInfo StartInfo() => new("victoria-metrics",
        [$"-httpListenAddr=127.0.0.1:{Port}", $"-storageDataPath={Path.Combine(Folder, "data")}", "-retentionPeriod=1", "-search.latencyOffset=0s"]);
}
