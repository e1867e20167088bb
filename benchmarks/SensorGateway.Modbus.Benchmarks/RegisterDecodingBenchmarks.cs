using BenchmarkDotNet.Attributes;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// One value decoded from its registers in each byte order, per type; the ratios are to big-endian (ABCD), the order
/// that needs no swapping. A device's profile names the order (firmware-profiles/*.yaml, <c>byteOrder</c>).
/// </summary>
[MemoryDiagnoser]
public class RegisterDecodingBenchmarks
{
    private readonly ushort[] _registers = [0x4148, 0xF5C3, 0x4020, 0x0000];
    private RegisterLayout _abcd = null!;
    private RegisterLayout _badc = null!;
    private RegisterLayout _cdab = null!;
    private RegisterLayout _dcba = null!;

    [Params(RawType.Int16, RawType.Int32, RawType.Float32, RawType.Float64)]
    public RawType Type { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _abcd = new RegisterLayout(RegisterTable.Holding, 0, Type, ByteOrder.ABCD);
        _badc = _abcd with { Order = ByteOrder.BADC };
        _cdab = _abcd with { Order = ByteOrder.CDAB };
        _dcba = _abcd with { Order = ByteOrder.DCBA };
    }

    [Benchmark(Baseline = true)]
    public double Abcd() => RegisterCodec.Decode(_registers, _abcd);

    [Benchmark]
    public double Badc() => RegisterCodec.Decode(_registers, _badc);

    [Benchmark]
    public double Cdab() => RegisterCodec.Decode(_registers, _cdab);

    [Benchmark]
    public double Dcba() => RegisterCodec.Decode(_registers, _dcba);
}
