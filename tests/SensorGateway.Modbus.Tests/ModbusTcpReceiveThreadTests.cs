using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Tests;

/// <summary>
/// The TCP master's receive thread: where callers resume, pipelining either way, and connecting on that thread
/// (which a timeout or a dispose must be able to end).
/// </summary>
public class ModbusTcpReceiveThreadTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadHoldingRegistersAsync_ResponseArrives_CallerResumesOnReceiveThreadOrPool(bool inline)
    {
        // The slave holds unit 1's answer until the clock moves, so the caller is surely waiting when it comes.
        var serverTime = new FakeTimeProvider();
        await using var server = new ModbusServer(serverTime);
        server.AddUnit(1).SetHoldingRegister(0, 9);
        server.AddUnit(2);
        server.SetFault(1, ModbusFault.Delayed(TimeSpan.FromMinutes(1)));
        await using var master = ModbusTcpMasterTests.Master(server.StartTcp(), o => (o.RequestTimeout, o.ResumeCallersInline) = (TimeSpan.FromMinutes(5), inline));
        await master.ReadHoldingRegistersAsync(2, 0, 1, Token);

        // Connected, so the request is sent before the call returns; unit 2's answer then follows the slave's hold on unit 1.
        var read = ReadWhereResumedAsync(master);
        await master.ReadHoldingRegistersAsync(2, 0, 1, Token);
        serverTime.Advance(TimeSpan.FromMinutes(1));
        var (values, thread, pool) = await read;

        // Inline there is no hop: the thread that took the response from recv runs the caller, as in a libmodbus client.
        Assert.Equal(new ushort[] { 9 }, values);
        Assert.Equal(inline, thread?.StartsWith("Modbus TCP ", StringComparison.Ordinal) == true);
        Assert.Equal(!inline, pool);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadHoldingRegistersAsync_PipelinedWithEitherResumption_EachCallerGetsItsOwnUnit(bool inline)
    {
        await using var server = new ModbusServer();
        for (byte unit = 1; unit <= 32; unit++)
        {
            server.AddUnit(unit).SetHoldingRegister(0, unit);
        }

        await using var master = ModbusTcpMasterTests.Master(server.StartTcp(), o => (o.MaxOutstandingRequests, o.ResumeCallersInline) = (8, inline));

        // Each caller issues its next request from its continuation: inline, those requests leave in one send per batch.
        var callers = Enumerable.Range(1, 32).Select(async unit =>
        {
            for (var round = 0; round < 20; round++)
            {
                var values = await master.ReadHoldingRegistersAsync((byte)unit, 0, 1, Token);
                Assert.Equal((ushort)unit, values[0]);
            }
        });
        await Task.WhenAll(callers);

        var counters = master.GetCounters();
        Assert.Equal(32 * 20, counters.Responses);
        Assert.Equal(0, counters.StrayResponses);
    }

    [Fact]
    public async Task ReadHoldingRegistersAsync_ConnectNeverAnswered_ConnectTimeoutEndsTheAttempt()
    {
        // A listener with a full accept queue drops further SYNs, so the master's connect hangs until it is closed.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await filler.ConnectAsync(listener.LocalEndPoint!, Token);
        await using var master = ModbusTcpMasterTests.Master(
            (IPEndPoint)listener.LocalEndPoint!, o => (o.Retries, o.ConnectTimeout) = (0, TimeSpan.FromMilliseconds(50)));

        var ex = await Assert.ThrowsAsync<ModbusConnectionException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, Token));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal(1, master.GetCounters().ConnectFailures);
        Assert.False(master.IsConnected);
    }

    [Fact]
    public async Task DisposeAsync_RequestOutstanding_FailsItAndEndsTheReceiveThread()
    {
        await using var server = new ModbusServer();
        server.AddUnit(1);
        server.SetFault(1, ModbusFault.Drop);
        var master = ModbusTcpMasterTests.Master(server.StartTcp(), o => (o.Retries, o.RequestTimeout) = (0, TimeSpan.FromMinutes(5)));
        var read = master.ReadHoldingRegistersAsync(1, 0, 1, Token);
        while (master.GetCounters().Requests == 0)
        {
            await Task.Yield();
        }

        await master.DisposeAsync();

        await Assert.ThrowsAsync<ModbusConnectionException>(() => read);
        Assert.False(master.IsConnected);
    }

    /// <summary>Reads without returning to the test's context, and reports the thread the read resumed on.</summary>
    private static async Task<(ushort[] Values, string? Thread, bool ThreadPool)> ReadWhereResumedAsync(ModbusTcpMaster master)
    {
        var values = await master.ReadHoldingRegistersAsync(1, 0, 1, Token).ConfigureAwait(false);
        return (values, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread);
    }
}
