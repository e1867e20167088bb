using Microsoft.Extensions.Time.Testing;
using SensorGateway.Edge.Modbus;
using SensorGateway.Modbus.Client;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>How many polls an endpoint carries at once on average: poll time over wall time, over a window never shorter than 10 s.</summary>
public sealed class ModbusEndpointTests
{
    private readonly FakeTimeProvider _time = new();

    private ModbusEndpoint Endpoint() =>
        new(new ModbusEndpointKey("rtu", "/dev/ttyS1"), new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = 502 }, _time), _time);

    [Fact]
    public async Task PollsInProgress_ReadTwiceInARow_StaysPollTimeOverWallTime()
    {
        await using var endpoint = Endpoint();
        _time.Advance(TimeSpan.FromSeconds(4));
        endpoint.AddBusy(TimeSpan.FromSeconds(1));

        var first = endpoint.PollsInProgress();
        endpoint.AddBusy(TimeSpan.FromSeconds(1));
        var second = endpoint.PollsInProgress();

        Assert.Equal((0.25, 0.5), (first, second));
    }

    [Fact]
    public async Task PollsInProgress_AfterTheWindowRolls_CoversThePreviousWindowToo()
    {
        await using var endpoint = Endpoint();
        _time.Advance(TimeSpan.FromSeconds(10));
        endpoint.AddBusy(TimeSpan.FromSeconds(5)); // rolls: the first window (10 s, nothing busy) becomes the previous
        _time.Advance(TimeSpan.FromSeconds(10));
        endpoint.AddBusy(TimeSpan.FromSeconds(3)); // rolls again: previous = 10 s with 5 s busy

        Assert.Equal(0.8, endpoint.PollsInProgress()); // (5 + 3) s over 10 s
    }

    [Fact]
    public async Task PollsInProgress_OverlappingPollsOnTcp_CountsEachOfThem()
    {
        await using var endpoint = Endpoint();
        _time.Advance(TimeSpan.FromSeconds(10));

        // 30 devices behind one device server, each poll taking 2 s, all within the same 10 s.
        for (var device = 0; device < 30; device++)
        {
            endpoint.AddBusy(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(6.0, endpoint.PollsInProgress());
    }
}
