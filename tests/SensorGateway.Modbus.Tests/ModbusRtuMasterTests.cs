using System.Net;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Server;
using SensorGateway.Modbus.Transport;

namespace SensorGateway.Modbus.Tests;

public class ModbusRtuMasterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryFunction_RtuOverTcp_ReadsWhatWasWritten()
    {
        await using var server = new ModbusServer();
        var store = server.AddUnit(17);
        store.SetInputRegisters(0, [10, 20]);
        store.DeviceIdentification[0] = "Vendor";
        await using var master = Master(server.StartTcp(ModbusTcpFraming.Rtu));

        await master.WriteMultipleRegistersAsync(17, 10, new ushort[] { 4, 5, 6 }, Token);
        await master.WriteSingleRegisterAsync(17, 13, 7, Token);
        await master.WriteMultipleCoilsAsync(17, 0, new[] { true, true, false, true }, Token);
        await master.WriteSingleCoilAsync(17, 2, true, Token);

        Assert.Equal(new ushort[] { 4, 5, 6, 7 }, await master.ReadHoldingRegistersAsync(17, 10, 4, Token));
        Assert.Equal(new ushort[] { 10, 20 }, await master.ReadInputRegistersAsync(17, 0, 2, Token));
        Assert.Equal(new[] { true, true, true, true }, await master.ReadCoilsAsync(17, 0, 4, Token));
        Assert.Equal(new[] { false }, await master.ReadDiscreteInputsAsync(17, 0, 1, Token));
        Assert.Equal(new ushort[] { 4, 9 }, await master.ReadWriteMultipleRegistersAsync(17, 10, 2, 11, new ushort[] { 9 }, Token));
        Assert.Equal("Vendor", (await master.ReadDeviceIdentificationAsync(17, cancellationToken: Token)).VendorName);
        Assert.Equal(10, master.GetCounters().Responses);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_CorruptCrcOnce_CountsCrcErrorAndRetries()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegister(0, 77);
        server.FaultSelector = ModbusTcpMasterTests.OnceThen(ModbusFault.CorruptCrc);
        await using var master = Master(server.StartTcp(ModbusTcpFraming.Rtu));

        Assert.Equal(new ushort[] { 77 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.CrcErrors);
        Assert.Equal(1, counters.Retries);
        Assert.Equal(1, counters.Responses);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_TruncatedOnce_TimesOutDiscardsFragmentAndRetries()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegisters(0, [1, 2, 3, 4, 5]);
        server.FaultSelector = ModbusTcpMasterTests.OnceThen(ModbusFault.Truncate);
        await using var master = Master(server.StartTcp(ModbusTcpFraming.Rtu), o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));

        Assert.Equal(new ushort[] { 1, 2, 3, 4, 5 }, await master.ReadHoldingRegistersAsync(1, 0, 5, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.Timeouts);
        Assert.Equal(7, counters.DiscardedBytes);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_WrongUnitEveryTime_ThrowsUnexpectedUnit()
    {
        await using var server = new ModbusServer();
        server.AddUnit(5);
        server.SetFault(5, ModbusFault.WrongUnitId);
        await using var master = Master(server.StartTcp(ModbusTcpFraming.Rtu), o => o.Retries = 1);

        var ex = await Assert.ThrowsAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(5, 0, 1, Token));

        Assert.Equal(ModbusProtocolErrorKind.UnexpectedUnitId, ex.Kind);
        Assert.Equal(2, master.GetCounters().ProtocolErrors[ModbusProtocolErrorKind.UnexpectedUnitId]);
    }

    [Fact]
    public async Task WriteSingleRegisterAsync_Broadcast_EveryUnitWritesNoneAnswers()
    {
        await using var server = new ModbusServer();
        var one = server.AddUnit(1);
        var two = server.AddUnit(2);
        await using var master = Master(server.StartTcp(ModbusTcpFraming.Rtu));

        await master.WriteSingleRegisterAsync(0, 3, 99, Token);

        // The bus is serialised: once unit 1 has answered, the broadcast before it has been executed.
        Assert.Equal(new ushort[] { 99 }, await master.ReadHoldingRegistersAsync(1, 3, 1, Token));
        Assert.Equal(99, two.GetHoldingRegister(3));
        Assert.Equal(1, server.GetCounters().Responses);
        Assert.Equal(99, one.GetHoldingRegister(3));
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_InterRequestDelay_NextRequestWaitsForClock()
    {
        var time = new FakeTimeProvider();
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegister(0, 8);
        var endPoint = server.StartTcp(ModbusTcpFraming.Rtu);
        await using var master = new ModbusRtuMaster(
            new ModbusRtuMasterOptions { Host = "127.0.0.1", Port = endPoint.Port, InterRequestDelay = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromMinutes(1) },
            time);

        Assert.Equal(new ushort[] { 8 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));
        var second = master.ReadHoldingRegistersAsync(1, 0, 1, Token);
        time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal(1, master.GetCounters().Requests);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new ushort[] { 8 }, await second);
        Assert.Equal(2, master.GetCounters().Requests);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_Broadcast_Rejected()
    {
        await using var master = Master(new IPEndPoint(IPAddress.Loopback, 1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.ReadHoldingRegistersAsync(0, 0, 1, Token));
    }

    [Fact]
    public void Constructor_BothSerialAndHost_ThrowsNamingBoth()
    {
        var options = new ModbusRtuMasterOptions { Host = "gw", SerialPort = new ModbusSerialPortOptions { PortName = "/dev/ttyS0" } };

        var ex = Assert.Throws<ArgumentException>(() => new ModbusRtuMaster(options));

        Assert.StartsWith("Set exactly one of SerialPort (RTU on a serial line) or Host (RTU over TCP).", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9600, 8, System.IO.Ports.Parity.Even, 4010)]
    [InlineData(19200, 8, System.IO.Ports.Parity.None, 1823)]
    [InlineData(38400, 8, System.IO.Ports.Parity.Even, 1750)]
    [InlineData(115200, 8, System.IO.Ports.Parity.None, 1750)]
    public void FrameSilence_BaudRate_ThreeAndAHalfCharactersOr1750Microseconds(int baud, int dataBits, System.IO.Ports.Parity parity, int expectedMicroseconds)
    {
        var line = new ModbusSerialPortOptions { PortName = "p", BaudRate = baud, DataBits = dataBits, Parity = parity };

        // 9600 8E1: 11 bits x 3.5 / 9600 = 4010.4 us; 19200 8N1: 10 x 3.5 / 19200 = 1822.9 us; above 19200 fixed.
        Assert.Equal(expectedMicroseconds, (int)Math.Round(line.FrameSilence.TotalMicroseconds));
    }

    internal static ModbusRtuMaster Master(IPEndPoint endPoint, Action<ModbusRtuMasterOptions>? configure = null)
    {
        var options = new ModbusRtuMasterOptions
        {
            Host = endPoint.Address.ToString(),
            Port = endPoint.Port,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(1),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return new ModbusRtuMaster(options);
    }
}
