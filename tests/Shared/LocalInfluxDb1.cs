using System.Diagnostics;
using System.Globalization;

namespace SensorGateway.Testing;

/// <summary>
/// An InfluxDB 1.x server of the caller's own (Debian's influxd, 1.6): a config file that keeps every file in the
/// private folder and binds only to loopback, both the HTTP API and the backup/restore (RPC) service.
/// </summary>
internal sealed class LocalInfluxDb1 : LocalDatabase
{
    private readonly string _config;

    public LocalInfluxDb1()
        : base("influxdb1")
    {
        _config = Path.Combine(Folder, "influxdb.conf");

        // max-row-limit 0: a count-and-compare query reads every stored point, not the first 10,000.
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreePort.Next()}"
            [meta]
              dir = "{Path.Combine(Folder, "meta")}"
            [data]
              dir = "{Path.Combine(Folder, "data")}"
              wal-dir = "{Path.Combine(Folder, "wal")}"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{Port}"
              auth-enabled = false
              log-enabled = false
              max-row-limit = 0
            [monitor]
              store-enabled = false
            """));
    }

    protected override string ReadyPath => "ping";

    protected override ProcessStartInfo StartInfo() => new("influxd", ["-config", _config]);
}
