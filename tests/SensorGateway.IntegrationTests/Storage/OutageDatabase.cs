
namespace SensorGateway.IntegrationTests.Storage;

/// <summary>
/// A database the outage test owns and stops: how the gateway is told to write to it, and how the test reads back
/// the per-device sequence numbers it stored. One subclass per kind of database the gateway writes to.
/// </summary>
internal abstract class OutageDatabase(LocalDatabase server) : IAsyncDisposable
{
    public const string VictoriaMetrics = "VictoriaMetrics (v2 API)";
    public const string InfluxDb1 = "InfluxDB 1.6 (v1 mode)";

    public LocalDatabase Server => server;

    public static OutageDatabase Create(string kind) => kind switch
    {
        VictoriaMetrics => new VictoriaMetricsOutageDatabase(),
        InfluxDb1 => new InfluxDb1OutageDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such database"),
    };

    /// <summary>Starts the server and creates what the site's readings go into.</summary>
    public abstract Task StartAsync(string site, CancellationToken cancellationToken);

    /// <summary>The <c>Storage:</c> settings that point the gateway at this database.</summary>
    public abstract IEnumerable<string> GatewaySettings(string site);

    /// <summary>Every stored <c>seq</c> of the site's readings stamped around <paramref name="t0"/>, repeats included.</summary>
    public abstract Task<IReadOnlyList<long>> StoredSequencesAsync(string site, DateTimeOffset t0, CancellationToken cancellationToken);

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
