using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Pdu;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Tests;

public class ModbusTcpMasterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryFunction_AgainstOwnServer_ReadsWhatWasWritten()
    {
        await using var server = new ModbusServer();
        var store = server.AddUnit(1);
        store.SetDiscreteInputs(10, [true, false, true]);
        store.SetInputRegisters(20, [7, 8, 9]);
        store.DeviceIdentification[ModbusDeviceIdentification.VendorNameId] = "SensorGateway";
        store.DeviceIdentification[ModbusDeviceIdentification.ProductCodeId] = "SG-GAS-1";
        store.DeviceIdentification[ModbusDeviceIdentification.MajorMinorRevisionId] = "1.2";
        await using var master = Master(server.StartTcp());

        await master.WriteSingleRegisterAsync(1, 100, 0xBEEF, Token);
        await master.WriteMultipleRegistersAsync(1, 101, new ushort[] { 1, 2, 3 }, Token);
        await master.WriteSingleCoilAsync(1, 5, true, Token);
        await master.WriteMultipleCoilsAsync(1, 6, new[] { false, true, true }, Token);
        var exchanged = await master.ReadWriteMultipleRegistersAsync(1, 100, 4, 200, new ushort[] { 42 }, Token);

        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3 }, await master.ReadHoldingRegistersAsync(1, 100, 4, Token));
        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3 }, exchanged);
        Assert.Equal((ushort)42, store.GetHoldingRegister(200));
        Assert.Equal(new[] { true, false, true, true }, await master.ReadCoilsAsync(1, 5, 4, Token));
        Assert.Equal(new[] { true, false, true }, await master.ReadDiscreteInputsAsync(1, 10, 3, Token));
        Assert.Equal(new ushort[] { 7, 8, 9 }, await master.ReadInputRegistersAsync(1, 20, 3, Token));
        var identity = await master.ReadDeviceIdentificationAsync(1, ModbusDeviceIdCategory.Basic, Token);
        Assert.Equal(("SensorGateway", "SG-GAS-1", "1.2"), (identity.VendorName, identity.ProductCode, identity.MajorMinorRevision));
        Assert.Equal(0x81, identity.ConformityLevel);
        var counters = master.GetCounters();
        Assert.Equal(10, counters.Requests);
        Assert.Equal(10, counters.Responses);
        Assert.Equal(10, counters.RoundTrips);
    }

    [Fact]
    public async Task ReadDeviceIdentificationAsync_ObjectsSpanSeveralPages_FollowsMoreFollows()
    {
        await using var server = new ModbusServer();
        var store = server.AddUnit(1);
        for (byte id = 0x80; id < 0x88; id++)
        {
            store.DeviceIdentification[id] = new string((char)('A' + id - 0x80), 60);
        }

        await using var master = Master(server.StartTcp());

        var identity = await master.ReadDeviceIdentificationAsync(1, ModbusDeviceIdCategory.Extended, Token);

        Assert.Equal(8, identity.Objects.Count);
        Assert.Equal(new string('H', 60), identity.Objects[0x87]);
        Assert.Equal(0x83, identity.ConformityLevel);
        Assert.True(master.GetCounters().Requests >= 3);
    }

    [Theory]
    [InlineData(ModbusExceptionCode.IllegalFunction)]
    [InlineData(ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(ModbusExceptionCode.IllegalDataValue)]
    [InlineData(ModbusExceptionCode.ServerDeviceFailure)]
    [InlineData(ModbusExceptionCode.Acknowledge)]
    [InlineData(ModbusExceptionCode.ServerDeviceBusy)]
    [InlineData(ModbusExceptionCode.NegativeAcknowledge)]
    [InlineData(ModbusExceptionCode.MemoryParityError)]
    [InlineData(ModbusExceptionCode.GatewayPathUnavailable)]
    [InlineData(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond)]
    public async Task ReadHoldingRegistersAsync_InjectedException_ThrowsCodeWithoutRetry(ModbusExceptionCode code)
    {
        await using var server = new ModbusServer();
        server.AddUnit(3);
        server.SetFault(3, ModbusFault.Exception(code));
        await using var master = Master(server.StartTcp());

        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(3, 0, 1, Token));

        Assert.Equal(code, ex.ExceptionCode);
        Assert.Equal(3, ex.UnitId);
        var counters = master.GetCounters();
        Assert.Equal(1, counters.SlaveExceptions[code]);
        Assert.Equal(1, counters.Requests);
        Assert.Equal(0, counters.Retries);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_BeyondTable_IllegalDataAddress()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1, new ModbusDataStore(100));
        await using var master = Master(server.StartTcp());

        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(1, 98, 3, Token));

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_UnitNotHosted_GatewayTargetFailed()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1);
        await using var master = Master(server.StartTcp());

        var ex = await Assert.ThrowsAsync<ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(9, 0, 1, Token));

        Assert.Equal(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, ex.ExceptionCode);
        Assert.Equal(1, server.GetCounters().UnknownUnitRequests);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_NoResponse_TimesOutAfterRetries()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1);
        server.SetFault(1, ModbusFault.Drop);
        await using var master = Master(server.StartTcp(), o => (o.Retries, o.RequestTimeout) = (1, TimeSpan.FromMilliseconds(100)));

        var ex = await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        Assert.Equal(TimeSpan.FromMilliseconds(100), ex.Timeout);
        var counters = master.GetCounters();
        Assert.Equal(2, counters.Timeouts);
        Assert.Equal(1, counters.Retries);
        Assert.Equal(2, counters.Requests);
        Assert.Equal(2, server.GetCounters().InjectedFaults[ModbusFaultKind.DropResponse]);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_SlowUnit_DoesNotBlockOtherUnitOnSameConnection()
    {
        var serverTime = new FakeTimeProvider();
        await using var server = new ModbusServer(serverTime);
        server.AddUnit(1).SetHoldingRegister(0, 111);
        server.AddUnit(2).SetHoldingRegister(0, 222);
        server.SetFault(1, ModbusFault.Delayed(TimeSpan.FromMinutes(1)));
        await using var master = Master(server.StartTcp(), o => o.RequestTimeout = TimeSpan.FromMinutes(5));

        var slow = master.ReadHoldingRegistersAsync(1, 0, 1, Token);
        var fast = await master.ReadHoldingRegistersAsync(2, 0, 1, Token);

        Assert.Equal(new ushort[] { 222 }, fast);
        Assert.False(slow.IsCompleted);
        serverTime.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new ushort[] { 111 }, await slow);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_ResponsesInReverseOrder_EachCallerGetsItsOwnValues()
    {
        // The peer collects all 16 requests, then answers the last first: value = address x 10.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = Task.Run(
            async () =>
            {
                using var socket = await listener.AcceptAsync(Token);
                var requests = new byte[16 * 12];
                var read = 0;
                while (read < requests.Length)
                {
                    read += await socket.ReceiveAsync(requests.AsMemory(read), SocketFlags.None, Token);
                }

                for (var i = 15; i >= 0; i--)
                {
                    var request = requests.AsSpan(i * 12, 12).ToArray();
                    var value = (ushort)(((request[8] << 8) | request[9]) * 10);
                    await socket.SendAsync(Response(request, [0x03, 0x02, (byte)(value >> 8), (byte)value]), SocketFlags.None, Token);
                }

                await socket.ReceiveAsync(new byte[1], SocketFlags.None, Token);
            },
            Token);
        await using var master = Master((IPEndPoint)listener.LocalEndPoint!, o => o.MaxOutstandingRequests = 16);

        var reads = Enumerable.Range(0, 16).Select(a => master.ReadHoldingRegistersAsync(1, (ushort)a, 1, Token)).ToArray();
        var results = await Task.WhenAll(reads);

        Assert.Equal(Enumerable.Range(0, 16).Select(a => (ushort)(a * 10)), results.Select(r => r[0]));
        Assert.Equal(0, master.GetCounters().StrayResponses);
        Assert.False(peer.IsFaulted);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_WrongTransactionIdOnce_CountsStrayAndRetries()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegister(0, 5);
        server.FaultSelector = OnceThen(ModbusFault.WrongTransactionId);
        await using var master = Master(server.StartTcp(), o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));

        Assert.Equal(new ushort[] { 5 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.StrayResponses);
        Assert.Equal(1, counters.Timeouts);
        Assert.Equal(1, counters.Retries);
    }

    [Theory]
    [InlineData(ModbusFaultKind.WrongUnitId, ModbusProtocolErrorKind.UnexpectedUnitId)]
    [InlineData(ModbusFaultKind.TruncateFrame, ModbusProtocolErrorKind.InvalidLength)]
    [InlineData(ModbusFaultKind.CorruptCrc, ModbusProtocolErrorKind.UnexpectedFunction)]
    public async Task ReadHoldingRegistersAsync_MalformedResponseOnce_CountsKindAndRetries(ModbusFaultKind fault, ModbusProtocolErrorKind expected)
    {
        await using var server = new ModbusServer();
        server.AddUnit(1).SetHoldingRegisters(0, [5, 6, 7, 8]);
        server.FaultSelector = OnceThen(new ModbusFault { Kind = fault });
        await using var master = Master(server.StartTcp());

        Assert.Equal(new ushort[] { 5, 6, 7, 8 }, await master.ReadHoldingRegistersAsync(1, 0, 4, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.ProtocolErrors[expected]);
        Assert.Equal(1, counters.Retries);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_MalformedResponseEveryTime_ThrowsProtocolException()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1);
        server.SetFault(1, ModbusFault.WrongUnitId);
        await using var master = Master(server.StartTcp(), o => o.Retries = 0);

        var ex = await Assert.ThrowsAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        Assert.Equal(ModbusProtocolErrorKind.UnexpectedUnitId, ex.Kind);
        Assert.Equal("1", ex.Expected);
        Assert.Equal("129", ex.Actual);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_PeerClosesMidFrame_ReconnectsAndSucceeds()
    {
        using var peer = new ScriptedPeer(
            async (socket, request) => await socket.SendAsync(request.AsMemory(0, 3), SocketFlags.None),
            async (socket, request) => await socket.SendAsync(Response(request, [0x03, 0x02, 0x00, 0x2A]), SocketFlags.None));
        await using var master = Master(peer.EndPoint);

        Assert.Equal(new ushort[] { 42 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.Reconnects);
        Assert.Equal(1, counters.Retries);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_PeerSendsGarbageHeader_DropsConnectionCountsAndRecovers()
    {
        using var peer = new ScriptedPeer(
            async (socket, _) => await socket.SendAsync(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x06, 0x01, 0x03 }, SocketFlags.None),
            async (socket, request) => await socket.SendAsync(Response(request, [0x03, 0x02, 0x00, 0x07]), SocketFlags.None));
        await using var master = Master(peer.EndPoint);

        Assert.Equal(new ushort[] { 7 }, await master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        var counters = master.GetCounters();
        Assert.Equal(1, counters.ProtocolErrors[ModbusProtocolErrorKind.InvalidProtocolId]);
        Assert.Equal(1, counters.Reconnects);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_NothingListening_ConnectionExceptionAfterBackoff()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = (IPEndPoint)probe.LocalEndPoint!;
        await using var master = Master(closed, o => (o.Retries, o.ReconnectInitialDelay, o.ReconnectMaxDelay) = (2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4)));

        await Assert.ThrowsAsync<ModbusConnectionException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        var counters = master.GetCounters();
        Assert.Equal(3, counters.ConnectFailures);
        Assert.Equal(0, counters.Requests);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1);
        server.SetFault(1, ModbusFault.Drop);
        await using var master = Master(server.StartTcp(), o => o.RequestTimeout = TimeSpan.FromMinutes(5));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var read = master.ReadHoldingRegistersAsync(1, 0, 1, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_CountOverLimit_ThrowsBeforeSending()
    {
        await using var master = Master(new IPEndPoint(IPAddress.Loopback, 1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.ReadHoldingRegistersAsync(1, 0, 126, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.WriteMultipleRegistersAsync(1, 0, new ushort[124], Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.WriteMultipleCoilsAsync(1, 0, new bool[1969], Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.ReadCoilsAsync(1, 0, 2001, Token));
        Assert.Equal(0, master.GetCounters().ConnectFailures);
    }

    [Theory]
    [InlineData("", 502, 8, "Host is required.")]
    [InlineData("localhost", 0, 8, "Port must be 1..65535.")]
    [InlineData("localhost", 502, 0, "MaxOutstandingRequests must be 1..1024.")]
    public void Constructor_InvalidOptions_ThrowsNamingField(string host, int port, int depth, string message)
    {
        var options = new ModbusTcpMasterOptions { Host = host, Port = port, MaxOutstandingRequests = depth };

        var ex = Assert.ThrowsAny<ArgumentException>(() => new ModbusTcpMaster(options));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ReconnectMaxBelowInitial_Throws()
    {
        var options = new ModbusTcpMasterOptions { Host = "h", ReconnectInitialDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(1) };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusTcpMaster(options));

        Assert.Equal("ReconnectMaxDelay", ex.ParamName);
    }

    internal static ModbusTcpMaster Master(IPEndPoint endPoint, Action<ModbusTcpMasterOptions>? configure = null)
    {
        var options = new ModbusTcpMasterOptions
        {
            Host = endPoint.Address.ToString(),
            Port = endPoint.Port,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(1),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return new ModbusTcpMaster(options);
    }

    internal static Func<byte, ModbusFunctionCode, ModbusFault?> OnceThen(ModbusFault fault)
    {
        var used = 0;
        return (_, _) => Interlocked.Exchange(ref used, 1) == 0 ? fault : null;
    }

    private static byte[] Response(byte[] request, byte[] pdu)
    {
        var frame = new byte[ModbusMbapFramer.HeaderLength + pdu.Length];
        ModbusMbapFramer.Write(frame, (ushort)((request[0] << 8) | request[1]), request[6], pdu);
        return frame;
    }

    /// <summary>A hand-driven TCP peer: connection n runs script n on the first request it receives, then closes.</summary>
    private sealed class ScriptedPeer : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public ScriptedPeer(params Func<Socket, byte[], Task>[] scripts)
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4);
            EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
            _ = RunAsync(scripts);
        }

        public IPEndPoint EndPoint { get; }

        public void Dispose() => _listener.Dispose();

        private async Task RunAsync(Func<Socket, byte[], Task>[] scripts)
        {
            foreach (var script in scripts)
            {
                using var socket = await _listener.AcceptAsync();
                var request = new byte[12];
                var read = 0;
                while (read < request.Length)
                {
                    read += await socket.ReceiveAsync(request.AsMemory(read), SocketFlags.None);
                }

                await script(socket, request);
                if (script != scripts[^1])
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
                else
                {
                    // Keep the last connection open until the test ends.
                    await socket.ReceiveAsync(new byte[1], SocketFlags.None);
                }
            }
        }
    }
}
