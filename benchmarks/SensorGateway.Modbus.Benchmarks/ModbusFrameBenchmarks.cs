using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Pdu;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// Hot-path codec costs: encode a request ADU, parse and decode a 20-register response ADU. Within each category the
/// ratio is to Modbus TCP's MBAP framing; RTU adds the CRC and, split across segments, the copy out of them.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ModbusFrameBenchmarks
{
    private readonly byte[] _buffer = new byte[ModbusLimits.MaxRtuFrameLength + 8];
    private readonly ushort[] _registers = new ushort[20];
    private ReadOnlySequence<byte> _mbapResponse;
    private ReadOnlySequence<byte> _rtuResponse;
    private ReadOnlySequence<byte> _rtuResponseSplit;

    [GlobalSetup]
    public void Setup()
    {
        var pdu = new byte[ModbusLimits.MaxPduLength];
        var values = Enumerable.Range(0, 20).Select(i => (ushort)(i * 11)).ToArray();
        var pduLength = ModbusPduWriter.WriteRegistersResponse(pdu, ModbusFunctionCode.ReadHoldingRegisters, values);

        var mbap = new byte[ModbusMbapFramer.HeaderLength + pduLength];
        ModbusMbapFramer.Write(mbap, 7, 1, pdu.AsSpan(0, pduLength));
        _mbapResponse = new ReadOnlySequence<byte>(mbap);

        var rtu = new byte[pduLength + 3];
        ModbusRtuFramer.Write(rtu, 1, pdu.AsSpan(0, pduLength));
        _rtuResponse = new ReadOnlySequence<byte>(rtu);
        _rtuResponseSplit = Split(rtu, rtu.Length / 2);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("encode")]
    public int EncodeMbapReadRequest()
    {
        Span<byte> pdu = stackalloc byte[5];
        ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadHoldingRegisters, 100, 20);
        return ModbusMbapFramer.Write(_buffer, 7, 1, pdu);
    }

    [Benchmark]
    [BenchmarkCategory("encode")]
    public int EncodeRtuReadRequest()
    {
        Span<byte> pdu = stackalloc byte[5];
        ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadHoldingRegisters, 100, 20);
        return ModbusRtuFramer.Write(_buffer, 1, pdu);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("parse")]
    public ushort ParseMbapResponseAndDecode()
    {
        ModbusMbapFramer.TryParse(_mbapResponse, out _, out _, out var frame);
        Span<byte> pdu = stackalloc byte[ModbusLimits.MaxPduLength];
        frame.Pdu.CopyTo(pdu);
        ModbusPduReader.ReadRegisters(pdu[..(int)frame.Pdu.Length], 1, ModbusFunctionCode.ReadHoldingRegisters, _registers);
        return _registers[19];
    }

    [Benchmark]
    [BenchmarkCategory("parse")]
    public ushort ParseRtuResponseAndDecode()
    {
        ModbusRtuFramer.TryParse(_rtuResponse, ModbusRtuDirection.Response, out _, out _, out var frame);
        ModbusPduReader.ReadRegisters(frame.Pdu.FirstSpan, 1, ModbusFunctionCode.ReadHoldingRegisters, _registers);
        return _registers[19];
    }

    [Benchmark]
    [BenchmarkCategory("parse")]
    public bool ParseRtuResponseSplitAcrossSegments() =>
        ModbusRtuFramer.TryParse(_rtuResponseSplit, ModbusRtuDirection.Response, out _, out _, out _);

    private static ReadOnlySequence<byte> Split(byte[] data, int cut)
    {
        var first = new Segment(data.AsMemory(0, cut), 0);
        var second = new Segment(data.AsMemory(cut), cut);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
