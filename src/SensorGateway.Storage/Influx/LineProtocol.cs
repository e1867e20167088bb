using System.Globalization;
using System.Text;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Influx;

/// <summary>
/// Writes readings as InfluxDB line protocol. The schema (see docs/STORAGE.md):
/// <c>reading,site=…,sector=…,device=…,channel=…,quantity=…,unit=… value=12.5,quality="good",seq=42i 1764392400000</c>.
/// A bad reading is still written (quality says why) but without a value when the value is not finite.
/// </summary>
/// <param name="sectorOf">The sector code of a reading's site (a gateway may host sites of several sectors).</param>
public sealed class LineProtocol(Func<string, string> sectorOf, string precision = "ms")
{
    public const string ReadingMeasurement = "reading";

    /// <summary>Every site in one sector (a spool exported with <c>--sector</c>).</summary>
    public LineProtocol(string sector, string precision = "ms")
        : this(_ => sector, precision)
    {
    }

    public string Precision { get; } = precision;

    public void Append(StringBuilder builder, in Reading reading)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(ReadingMeasurement)
            .Append(",site=").Append(EscapeTag(reading.Channel.Site))
            .Append(",sector=").Append(EscapeTag(sectorOf(reading.Channel.Site)))
            .Append(",device=").Append(EscapeTag(reading.Channel.Device))
            .Append(",channel=").Append(EscapeTag(reading.Channel.Channel))
            .Append(",quantity=").Append(EscapeTag(reading.Quantity))
            .Append(",unit=").Append(EscapeTag(reading.Unit))
            .Append(' ');
        // Numbers are formatted straight into the builder (no string per number): this runs for every stored reading.
        if (double.IsFinite(reading.Value))
        {
            builder.Append(CultureInfo.InvariantCulture, $"value={reading.Value:R},");
        }

        builder.Append("quality=\"").Append(EscapeString(reading.Quality.ToString()))
            .Append(CultureInfo.InvariantCulture, $"\",seq={reading.Sequence}i {Timestamp(reading.SourceTime)}");
    }

    /// <summary>Appends each reading as one line ending in a newline: a write request's body.</summary>
    public StringBuilder AppendLines(StringBuilder builder, ReadOnlySpan<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var reading in readings)
        {
            Append(builder, reading);
            builder.Append('\n');
        }

        return builder;
    }

    public long Timestamp(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return Precision switch
        {
            "s" => ticks / TimeSpan.TicksPerSecond,
            "us" => ticks / 10,
            "ns" => ticks * 100,
            _ => ticks / TimeSpan.TicksPerMillisecond,
        };
    }

    // Tag keys and values escape commas, equals signs and spaces (line protocol reference).
    private static string EscapeTag(string value) =>
        value.AsSpan().IndexOfAny(",= \\") < 0
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
                .Replace("=", "\\=", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);

    private static string EscapeString(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
