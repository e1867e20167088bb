using System.Globalization;
using System.IO.Ports;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Server;
using SensorGateway.Modbus.Transport;

namespace SensorGateway.Modbus.Tests.Interop;

/// <summary>RTU over a socat pty pair (a virtual serial cable) in both directions, at 9600 and 115200 baud.</summary>
public class ModbusRtuInteropTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(9600)]
    [InlineData(115200)]
    public async Task OurSerialMaster_LibmodbusRtuServer_ReadsAndWrites(int baud)
    {
        await using var pair = await SocatPtyPair.StartAsync(Token);
        await using var libmodbus = ExternalProcess.Start(await InteropBinaries.LibModbusServerAsync(), "rtu", pair.B, baud.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("READY", await libmodbus.ReadLineAsync(Token));
        await using var master = SerialMaster(pair.A, baud);

        Assert.Equal(new ushort[] { 0, 5, 10, 15, 20 }, await master.ReadHoldingRegistersAsync(1, 0, 5, Token));
        Assert.Equal(new ushort[] { 107 }, await master.ReadInputRegistersAsync(1, 7, 1, Token));
        await master.WriteMultipleRegistersAsync(1, 20, new ushort[] { 300, 301 }, Token);
        await master.WriteSingleCoilAsync(1, 0, true, Token);
        Assert.Equal(new ushort[] { 300, 301 }, await master.ReadHoldingRegistersAsync(1, 20, 2, Token));
        Assert.Equal(new[] { true, true }, await master.ReadCoilsAsync(1, 0, 2, Token));
        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(1, 199, 5, Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
        Assert.Equal(0, master.GetCounters().CrcErrors);
    }

    [Theory]
    [InlineData(9600)]
    [InlineData(115200)]
    public async Task PymodbusSerialMaster_OurRtuSlave_EveryStepAgrees(int baud)
    {
        await using var pair = await SocatPtyPair.StartAsync(Token);
        await using var server = ModbusTcpInteropTests.PymodbusClientSlave();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var serving = server.ServeSerialPortAsync(Line(pair.A, baud), stop.Token);

        var (exit, output) = await ExternalProcess.RunAsync(
            ExternalProcess.Python(), [ExternalProcess.Script("pymodbus_client.py"), "rtu", pair.B, baud.ToString(CultureInfo.InvariantCulture)], Token);

        await stop.CancelAsync();
        await serving;
        Assert.True(exit == 0, output);
        ModbusTcpInteropTests.AssertPymodbusClientOutput(output);
        Assert.Equal(0, server.GetCounters().FramingErrors);
    }

    [Fact]
    public async Task Mbpoll_OurRtuSlave_ReadsRegisters()
    {
        var mbpoll = ExternalProcess.Require("/usr/bin/mbpoll", "mbpoll");
        await using var pair = await SocatPtyPair.StartAsync(Token);
        await using var server = new ModbusServer();
        server.AddUnit(3).SetHoldingRegisters(0, [500, 600]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var serving = server.ServeSerialPortAsync(Line(pair.A, 9600), stop.Token);

        var (exit, output) = await ExternalProcess.RunAsync(
            mbpoll, ["-m", "rtu", "-b", "9600", "-P", "none", "-a", "3", "-t", "4", "-r", "1", "-c", "2", "-1", pair.B], Token);

        await stop.CancelAsync();
        await serving;
        Assert.True(exit == 0, output);
        Assert.Contains("[1]: \t500", output, StringComparison.Ordinal);
        Assert.Contains("[2]: \t600", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OurSerialMaster_PymodbusRtuServer_ReadsAndWrites()
    {
        await using var pair = await SocatPtyPair.StartAsync(Token);
        await using var pymodbus = ExternalProcess.Start(ExternalProcess.Python(), ExternalProcess.Script("pymodbus_server.py"), "rtu", pair.B, "115200");
        Assert.Equal("READY", await pymodbus.ReadLineAsync(Token));
        await using var master = SerialMaster(pair.A, 115200);

        Assert.Equal(new ushort[] { 0, 3, 6 }, await master.ReadHoldingRegistersAsync(1, 0, 3, Token));
        await master.WriteSingleRegisterAsync(1, 2, 77, Token);
        Assert.Equal(new ushort[] { 77 }, await master.ReadHoldingRegistersAsync(1, 2, 1, Token));
        Assert.Equal(new[] { true, false, false }, await master.ReadDiscreteInputsAsync(1, 0, 3, Token));
    }

    [Fact]
    public async Task OurSerialMaster_OurRtuSlave_SilenceKeptAndFaultsSurvived()
    {
        await using var pair = await SocatPtyPair.StartAsync(Token);
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegister(0, 4);
        server.FaultSelector = ModbusTcpMasterTests.OnceThen(ModbusFault.CorruptCrc);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var serving = server.ServeSerialPortAsync(Line(pair.B, 19200), stop.Token);
        await using var master = SerialMaster(pair.A, 19200, o => o.InterRequestDelay = TimeSpan.FromMilliseconds(5));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new ushort[] { 4 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));
        }

        await stop.CancelAsync();
        await serving;
        var counters = master.GetCounters();
        Assert.Equal(1, counters.CrcErrors);
        Assert.Equal(5, counters.Responses);
    }

    private static ModbusSerialPortOptions Line(string port, int baud) =>
        new() { PortName = port, BaudRate = baud, Parity = Parity.None, StopBits = StopBits.One };

    private static ModbusRtuMaster SerialMaster(string port, int baud, Action<ModbusRtuMasterOptions>? configure = null)
    {
        var options = new ModbusRtuMasterOptions { SerialPort = Line(port, baud), RequestTimeout = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        return new ModbusRtuMaster(options);
    }
}
