using System.Globalization;
using System.Net;
using SensorGateway.Modbus.Pdu;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Tests.Interop;

/// <summary>Our TCP master against pymodbus and libmodbus slaves; mbpoll and pymodbus masters against our slave.</summary>
public class ModbusTcpInteropTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OurMaster_PymodbusTcpServer_EveryFunctionAgrees()
    {
        await using var pymodbus = ExternalProcess.Start(ExternalProcess.Python(), ExternalProcess.Script("pymodbus_server.py"), "tcp");
        var port = int.Parse(await pymodbus.ReadLineAsync(Token), CultureInfo.InvariantCulture);
        await using var master = ModbusTcpMasterTests.Master(new IPEndPoint(IPAddress.Loopback, port));

        Assert.Equal(new ushort[] { 30, 33, 36 }, await master.ReadHoldingRegistersAsync(1, 10, 3, Token));
        Assert.Equal(new ushort[] { 1005, 1006 }, await master.ReadInputRegistersAsync(1, 5, 2, Token));
        Assert.Equal(new[] { true, false, true, false }, await master.ReadCoilsAsync(1, 0, 4, Token));
        Assert.Equal(new[] { true, false, false, true }, await master.ReadDiscreteInputsAsync(1, 0, 4, Token));
        await master.WriteSingleRegisterAsync(1, 100, 4321, Token);
        await master.WriteMultipleRegistersAsync(1, 101, new ushort[] { 7, 8 }, Token);
        await master.WriteSingleCoilAsync(1, 1, true, Token);
        await master.WriteMultipleCoilsAsync(1, 20, new[] { true, true, true }, Token);
        Assert.Equal(new ushort[] { 4321, 7, 8 }, await master.ReadHoldingRegistersAsync(1, 100, 3, Token));
        Assert.Equal(new[] { true, true }, await master.ReadCoilsAsync(1, 0, 2, Token));
        Assert.Equal(new ushort[] { 4321, 55 }, await master.ReadWriteMultipleRegistersAsync(1, 100, 2, 101, new ushort[] { 55 }, Token));
        var identity = await master.ReadDeviceIdentificationAsync(1, ModbusDeviceIdCategory.Basic, Token);
        Assert.Equal(("pymodbus-interop", "PM", "3.0"), (identity.VendorName, identity.ProductCode, identity.MajorMinorRevision));
        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(1, 5000, 2, Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Fact]
    public async Task OurMaster_LibmodbusTcpServer_EveryFunctionAgrees()
    {
        await using var libmodbus = ExternalProcess.Start(await InteropBinaries.LibModbusServerAsync(), "tcp");
        var port = int.Parse(await libmodbus.ReadLineAsync(Token), CultureInfo.InvariantCulture);
        await using var master = ModbusTcpMasterTests.Master(new IPEndPoint(IPAddress.Loopback, port), o => o.MaxOutstandingRequests = 1);

        Assert.Equal(new ushort[] { 0, 5, 10, 15 }, await master.ReadHoldingRegistersAsync(1, 0, 4, Token));
        Assert.Equal(new ushort[] { 150 }, await master.ReadInputRegistersAsync(1, 50, 1, Token));
        Assert.Equal(new[] { false, true, false }, await master.ReadCoilsAsync(1, 0, 3, Token));
        await master.WriteSingleRegisterAsync(1, 10, 999, Token);
        await master.WriteMultipleRegistersAsync(1, 11, new ushort[] { 1, 2, 3 }, Token);
        await master.WriteSingleCoilAsync(1, 0, true, Token);
        await master.WriteMultipleCoilsAsync(1, 1, new[] { false, true }, Token);
        Assert.Equal(new ushort[] { 999, 1, 2, 3 }, await master.ReadHoldingRegistersAsync(1, 10, 4, Token));
        Assert.Equal(new[] { true, false, true }, await master.ReadCoilsAsync(1, 0, 3, Token));
        Assert.Equal(new ushort[] { 42, 1 }, await master.ReadWriteMultipleRegistersAsync(1, 10, 2, 10, new ushort[] { 42 }, Token));
        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(1, 199, 2, Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Fact]
    public async Task Mbpoll_OurTcpSlave_ReadsAndWrites()
    {
        var mbpoll = ExternalProcess.Require("/usr/bin/mbpoll", "mbpoll");
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegisters(0, [11, 22, 33]);
        var port = server.StartTcp().Port.ToString(CultureInfo.InvariantCulture);

        var (readExit, read) = await ExternalProcess.RunAsync(mbpoll, ["-m", "tcp", "-a", "1", "-t", "4", "-r", "1", "-c", "3", "-1", "-p", port, "127.0.0.1"], Token);
        var (writeExit, write) = await ExternalProcess.RunAsync(mbpoll, ["-m", "tcp", "-a", "1", "-t", "4", "-r", "10", "-p", port, "127.0.0.1", "1234", "5678"], Token);

        Assert.True(readExit == 0, read);
        Assert.Contains("[1]: \t11", read, StringComparison.Ordinal);
        Assert.Contains("[2]: \t22", read, StringComparison.Ordinal);
        Assert.Contains("[3]: \t33", read, StringComparison.Ordinal);
        Assert.True(writeExit == 0, write);
        Assert.Equal(new ushort[] { 1234, 5678 }, server.GetUnit(1).GetHoldingRegisters(9, 2));
    }

    [Fact]
    public async Task PymodbusMaster_OurTcpSlave_EveryStepAgrees()
    {
        await using var server = PymodbusClientSlave();
        var port = server.StartTcp().Port.ToString(CultureInfo.InvariantCulture);

        var (exit, output) = await ExternalProcess.RunAsync(ExternalProcess.Python(), [ExternalProcess.Script("pymodbus_client.py"), "tcp", port], Token);

        Assert.True(exit == 0, output);
        AssertPymodbusClientOutput(output);
    }

    /// <summary>The slave layout pymodbus_client.py expects.</summary>
    internal static ModbusServer PymodbusClientSlave()
    {
        var server = new ModbusServer();
        var store = server.AddUnit(1, new ModbusDataStore(1000));
        for (ushort a = 0; a < 100; a++)
        {
            store.SetHoldingRegister(a, (ushort)(7 * a));
            store.SetInputRegister(a, (ushort)(2000 + a));
        }

        return server;
    }

    internal static void AssertPymodbusClientOutput(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("holding 70 77 84 91 98", lines);
        Assert.Contains("input 2003 2004", lines);
        Assert.Contains("written 4242 1 2 3", lines);
        Assert.Contains("coils 1 0 1 1", lines);
        Assert.Contains("rw 0 7", lines);
        Assert.Contains("exception 2", lines);
        Assert.Contains("OK", lines);
    }
}
