using SensorGateway.Modbus.Pdu;
using SensorGateway.Modbus.Server;
using SensorGateway.Modbus.Transport;
using static SensorGateway.Modbus.Tests.TestSequence;

namespace SensorGateway.Modbus.Tests;

public class ModbusServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Handle_SpecReadHoldingRegisters_AnswersSpecResponse()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0x6B, [555, 0, 100]);
        var response = new byte[ModbusLimits.MaxPduLength];

        var length = ModbusRequestHandler.Handle(store, Hex(Vectors.ModbusSpecVectors.ReadHoldingRegistersRequest), response);

        Assert.Equal(Hex(Vectors.ModbusSpecVectors.ReadHoldingRegistersResponse), response[..length]);
    }

    [Fact]
    public void Handle_SpecReadWriteMultipleRegisters_WritesBeforeReading()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(3, [0xFE, 0x0ACD, 1, 3, 0x0D, 0]);
        var response = new byte[ModbusLimits.MaxPduLength];

        var length = ModbusRequestHandler.Handle(store, Hex("17 00 03 00 06 00 08 00 01 02 00 FF"), response);

        Assert.Equal(Hex(Vectors.ModbusSpecVectors.ReadWriteMultipleRegistersResponse), response[..length]);
    }

    [Theory]
    [InlineData("07", "87 01")]
    [InlineData("03 00 00 00 7E", "83 03")]
    [InlineData("01 04 A1 00 01", "81 02")]
    [InlineData("2B 0E 04 05", "AB 02")]
    [InlineData("2B 0E 05 00", "AB 03")]
    public void Handle_BadRequest_AnswersExceptionCode(string request, string expected)
    {
        var store = new ModbusDataStore(1000);
        store.DeviceIdentification[0] = "V";
        var response = new byte[ModbusLimits.MaxPduLength];

        var length = ModbusRequestHandler.Handle(store, Hex(request), response);

        Assert.Equal(Hex(expected), response[..length]);
    }

    [Fact]
    public void Handle_IndividualDeviceObject_AnswersOnlyThatObject()
    {
        var store = new ModbusDataStore();
        store.DeviceIdentification[0] = "Vendor";
        store.DeviceIdentification[5] = "Model";
        var response = new byte[ModbusLimits.MaxPduLength];

        var length = ModbusRequestHandler.Handle(store, Hex("2B 0E 04 05"), response);

        var page = ModbusPduReader.ReadDeviceIdentification(response.AsSpan(0, length), 1);
        Assert.Equal([new(5, "Model")], page.Objects);
        Assert.Equal(0x82, page.ConformityLevel);
    }

    [Fact]
    public void SetHoldingRegisters_PastTableEnd_Throws()
    {
        var store = new ModbusDataStore(10);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => store.SetHoldingRegisters(9, [1, 2]));

        Assert.Equal("address", ex.ParamName);
    }

    [Fact]
    public async Task ServeRtuAsync_RequestsForAbsentUnitAndGarbage_StaysSilentAndCounts()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegisters(0x6B, [555, 0, 100]);
        // Unit 2 is absent (silence); the unknown function makes the slave drop everything buffered, the valid
        // request behind it included, as a serial slave resynchronises on the next silence.
        var input = new MemoryStream([.. Hex("02 03 00 6B 00 03 74 24"), .. Hex("11 42 00 00"), .. Hex("01 03 00 6B 00 03 74 17")]);
        var duplex = new DuplexStream(input);

        await server.ServeRtuAsync(duplex, null, Token);

        var counters = server.GetCounters();
        Assert.Equal(1, counters.UnknownUnitRequests);
        Assert.Equal(1, counters.FramingErrors);
        Assert.Empty(duplex.Written.ToArray());
    }

    [Fact]
    public async Task ServeRtuAsync_SpecRequest_AnswersSpecResponse()
    {
        await using var server = new ModbusServer();
        server.AddUnit(0x11).SetHoldingRegisters(0x6B, [555, 0, 100]);
        var duplex = new DuplexStream(new MemoryStream(Hex(Vectors.ModbusSpecVectors.RtuReadHoldingRegistersRequest)));

        await server.ServeRtuAsync(duplex, null, Token);

        Assert.Equal(Hex(Vectors.ModbusSpecVectors.RtuReadHoldingRegistersResponse), duplex.Written.ToArray());
    }

    [Theory]
    [InlineData("", 9600, 8, "PortName is required.")]
    [InlineData("/dev/ttyS0", 100, 8, "BaudRate must be 300..4000000.")]
    [InlineData("/dev/ttyS0", 9600, 5, "RTU needs 8 data bits")]
    public void Validate_InvalidLine_ThrowsNamingField(string port, int baud, int dataBits, string message)
    {
        var line = new ModbusSerialPortOptions { PortName = port, BaudRate = baud, DataBits = dataBits };

        var ex = Assert.ThrowsAny<ArgumentException>(line.Validate);

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads from a fixed input, records what is written.</summary>
    private sealed class DuplexStream(Stream input) : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
