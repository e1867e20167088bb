namespace SensorGateway.LoadHarness.Servers;

/// <summary>The database under the gateway: how the gateway writes to it, and what the harness asks of it.</summary>
internal interface IReadingDatabase : IAsyncDisposable
{
    string Name { get; }

    ChildProcess Process { get; }

    /// <summary>The gateway's <c>Storage</c> settings for this database.</summary>
    IReadOnlyList<string> GatewayArguments { get; }

    /// <summary>Readings of <paramref name="site"/> stored with a value.</summary>
    Task<long> CountAsync(string site, CancellationToken cancellationToken);

    /// <summary>Per device: distinct sequences stored, and values stored (duplicates included).</summary>
    Task<IReadOnlyDictionary<string, (long Distinct, long Stored)>> SequencesAsync(string site, SequenceSource source, CancellationToken cancellationToken);

    /// <summary>Writes one batch of line protocol as the gateway does (same endpoint, same precision).</summary>
    Task WriteAsync(string lines, CancellationToken cancellationToken);
}

/// <summary>Where a load reading's sequence is stored.</summary>
internal enum SequenceSource
{
    /// <summary>The MQTT message's <c>seq</c>: field <c>seq</c> of channel <c>lel</c>.</summary>
    MqttMessage,

    /// <summary>The slave's read counter: the value of channel <c>seq</c>.</summary>
    ModbusRegister,
}

internal static class ReadingDatabase
{
    /// <summary>Lookback of the count queries: longer than any run.</summary>
    public const string Window = "6h";

    public static async Task<IReadingDatabase> StartAsync(DatabaseKind kind, string folder, CancellationToken cancellationToken) => kind switch
    {
        DatabaseKind.VictoriaMetrics => await VictoriaMetricsDatabase.StartAsync(folder, cancellationToken).ConfigureAwait(false),
        DatabaseKind.InfluxDb1 => await InfluxDb1Database.StartAsync(folder, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
