using Microsoft.Extensions.Time.Testing;
using SensorGateway.Edge.Modbus;
using SensorGateway.Modbus.Client;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>How busy an endpoint is: the share of wall time its polls took, over a window that is never shorter than 10 s.</summary>
public sealed class ModbusEndpointTests
{
    private readonly FakeTimeProvider _time = new();

    private ModbusEndpoint Endpoint() =>
        new(new ModbusEndpointKey("rtu", "/dev/ttyS1"), new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = 502 }, _time), _time);

    [Fact]
    public async Task Utilisation_ReadTwiceInARow_StaysTheShareOfWallTime()
    {
        await using var endpoint = Endpoint();
        _time.Advance(TimeSpan.FromSeconds(4));
        endpoint.AddBusy(TimeSpan.FromSeconds(1));

        var first = endpoint.Utilisation();
        endpoint.AddBusy(TimeSpan.FromSeconds(1));
        var second = endpoint.Utilisation();

        Assert.Equal((0.25, 0.5), (first, second));
    }

    [Fact]
    public async Task Utilisation_AfterTheWindowRolls_CoversThePreviousWindowToo()
    {
        await using var endpoint = Endpoint();
        _time.Advance(TimeSpan.FromSeconds(10));
        endpoint.AddBusy(TimeSpan.FromSeconds(5)); // rolls: the first window (10 s, nothing busy) becomes the previous
        _time.Advance(TimeSpan.FromSeconds(10));
        endpoint.AddBusy(TimeSpan.FromSeconds(3)); // rolls again: previous = 10 s with 5 s busy

        Assert.Equal(0.8, endpoint.Utilisation()); // (5 + 3) s over 10 s
    }
}
