using System.Text;
using BenchmarkDotNet.Attributes;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>
/// Line-protocol serialisation of one write batch (5,000 readings, as the writer sends them), per reading. The
/// baseline is InfluxDB.Client's own <see cref="PointData"/> builder writing the same measurement, tags and fields,
/// which is what the gateway would use without its own <see cref="LineProtocol"/>.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolBenchmarks
{
    private const int Batch = 5_000;

    private readonly LineProtocol _protocol = new("fuel_stations");
    private readonly StringBuilder _body = new(Batch * 160);
    private Reading[] _readings = [];

    [GlobalSetup]
    public void Setup() => _readings = SpoolBenchmarkData.Build(Batch);

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int InfluxClientPointData()
    {
        _body.Clear();
        foreach (var reading in _readings)
        {
            var point = PointData.Measurement(LineProtocol.ReadingMeasurement)
                .Tag("site", reading.Channel.Site).Tag("sector", "fuel_stations").Tag("device", reading.Channel.Device)
                .Tag("channel", reading.Channel.Channel).Tag("quantity", reading.Quantity).Tag("unit", reading.Unit)
                .Field("value", reading.Value).Field("quality", reading.Quality.ToString()).Field("seq", reading.Sequence)
                .Timestamp(reading.SourceTime.UtcDateTime, WritePrecision.Ms);
            _body.Append(point.ToLineProtocol()).Append('\n');
        }

        return _body.Length;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Ours() => _protocol.AppendLines(_body.Clear(), _readings).Length;
}
