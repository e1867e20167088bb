using SensorGateway.Core.Readings;
using SensorGateway.Modbus;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>The poller against our Modbus slave on loopback, with injected faults.</summary>
public sealed class ModbusPollerTests
{
    private static string Site(int port, string extra = "") => $$"""
        site: { id: poll-test, sector: chemical_industry }
        devices:
          - id: gd-1
            profile: gas-detectors/catalytic-lel-detector
            modbus: { tcp: "127.0.0.1:{{port}}", unit: 1 }
            pollInterval: 200ms
        {{extra}}
        """;

    [Fact]
    public async Task Poll_HealthyDetector_DecodesValueStatusAndLoopCurrent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1).SetHoldingRegisters(0, [251, 0b010, 1200]); // 25.1 %LEL, calibration bit, 12.00 mA
        await using var poller = PollerHarness.Start(Site(port));

        var lel = await poller.WaitForAsync(r => r.Channel.Channel == "lel", "lel", TimeSpan.FromSeconds(10), ct);
        var loop = await poller.WaitForAsync(r => r.Channel.Channel == "loop_current", "loop current", TimeSpan.FromSeconds(10), ct);

        Assert.Equal((25.1, Quality.Bad(QualityReason.Calibration), "gas.combustible", "%LEL"), (Math.Round(lel.Value, 6), lel.Quality, lel.Quantity, lel.Unit));
        Assert.Equal((50.0, Quality.Good), (loop.Value, loop.Quality));
        Assert.Equal(lel.Sequence, loop.Sequence);
        Assert.Equal(new ReadOnlySpan<string>(["gd-1 [tcp 127.0.0.1:" + port + "] every 200 ms, profile gas-detectors/catalytic-lel-detector:", "  unit 1 FC03 holding 0..2 (3) -> lel, loop_current, [status]"]).ToArray(), poller.Source.DescribePlan());
    }

    [Fact]
    public async Task Poll_DeviceStopsAnswering_CommFailureOnEveryChannelWithinTimeoutRetriesAndInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1).SetHoldingRegisters(0, [100, 0, 1200]);
        await using var poller = PollerHarness.Start(Site(port));
        var good = await poller.WaitForAsync(r => r.Quality.IsGood, "a good reading", TimeSpan.FromSeconds(10), ct);

        slave.SetFault(1, ModbusFault.Drop);

        // The first failed cycle (timeout 500 ms x 3 attempts from the profile) yields comm-failure readings at once.
        var lelFailure = await poller.WaitForAsync(r => r.Channel.Channel == "lel" && !r.Quality.IsGood, "comm failure on lel", TimeSpan.FromSeconds(10), ct);
        var loopFailure = await poller.WaitForAsync(r => r.Channel.Channel == "loop_current" && !r.Quality.IsGood, "comm failure on loop_current", TimeSpan.FromSeconds(10), ct);

        Assert.Equal(Quality.Bad(QualityReason.CommFailure), lelFailure.Quality);
        Assert.Equal(Quality.Bad(QualityReason.CommFailure), loopFailure.Quality);
        Assert.True(double.IsNaN(lelFailure.Value), "a failed poll must not repeat the last value");
        Assert.True(lelFailure.SourceTime > good.SourceTime);
        Assert.True(lelFailure.Sequence > good.Sequence);

        slave.SetFault(1, null);
        var back = await poller.WaitForAsync(r => r.Quality.IsGood && r.Sequence > lelFailure.Sequence, "recovery", TimeSpan.FromSeconds(15), ct);
        Assert.Equal(10.0, back.Value);
    }

    [Fact]
    public async Task Poll_ExceptionResponse_IsCommFailureNotAValue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1);
        slave.SetFault(1, ModbusFault.Exception(ModbusExceptionCode.IllegalDataAddress));
        await using var poller = PollerHarness.Start(Site(port));

        var reading = await poller.WaitForAsync(r => r.Channel.Channel == "lel", "lel", TimeSpan.FromSeconds(10), ct);

        Assert.Equal(Quality.Bad(QualityReason.CommFailure), reading.Quality);
    }

    [Fact]
    public async Task Poll_SlowDeviceBehindSameGateway_DoesNotHoldUpItsNeighbour()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1).SetHoldingRegisters(0, [10, 0, 1200]);
        slave.AddUnit(2).SetHoldingRegisters(0, [20, 0, 1200]);
        slave.SetFault(2, ModbusFault.Delayed(TimeSpan.FromSeconds(5)));
        await using var poller = PollerHarness.Start(Site(port, $$"""
              - id: gd-2
                profile: gas-detectors/catalytic-lel-detector
                modbus: { tcp: "127.0.0.1:{{port}}", unit: 2 }
                pollInterval: 200ms
            """));

        // While unit 2 hangs for 5 s per request (and times out), unit 1 keeps delivering every 200 ms.
        var tenth = await poller.WaitForAsync(r => r.Channel.Device == "gd-1" && r.Channel.Channel == "lel" && r.Sequence >= 10, "ten polls of gd-1", TimeSpan.FromSeconds(10), ct);
        var slowFailure = await poller.WaitForAsync(r => r.Channel.Device == "gd-2" && !r.Quality.IsGood, "gd-2 failure", TimeSpan.FromSeconds(10), ct);

        Assert.Equal((1.0, Quality.Good), (tenth.Value, tenth.Quality));
        Assert.Equal(Quality.Bad(QualityReason.CommFailure), slowFailure.Quality);
        Assert.DoesNotContain(poller.Snapshot(), r => r.Channel.Device == "gd-1" && !r.Quality.IsGood);
    }

    [Fact]
    public async Task Poll_DeviceServerRestarts_CommFailureThenRecoversOnTheSamePort()
    {
        var ct = TestContext.Current.CancellationToken;
        var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1).SetHoldingRegisters(0, [100, 0, 1200]);
        await using var poller = PollerHarness.Start(Site(port));
        await poller.WaitForAsync(r => r.Quality.IsGood, "a good reading", TimeSpan.FromSeconds(10), ct);

        // The serial device server reboots: connections drop and nothing listens for a while.
        await slave.DisposeAsync();
        var lost = await poller.WaitForAsync(r => r.Quality == Quality.Bad(QualityReason.CommFailure), "comm failure", TimeSpan.FromSeconds(15), ct);

        await using var restarted = new ModbusServer();
        restarted.StartTcp(port: port);
        restarted.AddUnit(1).SetHoldingRegisters(0, [200, 0, 1200]);
        var back = await poller.WaitForAsync(r => r.Quality.IsGood && r.Sequence > lost.Sequence, "recovery after the restart", TimeSpan.FromSeconds(30), ct);

        Assert.Equal(20.0, back.Value);
    }

    // An H2S detector wired where the site file says catalytic is refused; the profile's own model is trusted.
    [Theory]
    [InlineData("EC-H2S-100", false)]
    [InlineData("CAT-LEL-100", true)]
    public async Task Poll_DeviceIdentification_GoodOnlyWhenItMatchesTheProfile(string productCode, bool matches)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        var unit = slave.AddUnit(1);
        unit.SetHoldingRegisters(0, [100, 0, 1200]);
        unit.DeviceIdentification[0x00] = "Generic";
        unit.DeviceIdentification[0x01] = productCode;
        await using var poller = PollerHarness.Start(Site(port));

        var reading = await poller.WaitForAsync(r => r.Channel.Channel == "lel", "lel", TimeSpan.FromSeconds(10), ct);

        if (matches)
        {
            Assert.Equal((10.0, Quality.Good), (reading.Value, reading.Quality));
        }
        else
        {
            Assert.Equal(Quality.Bad(QualityReason.DecodeError), reading.Quality);
        }
    }

    [Fact]
    public async Task Poll_CycleLongerThanInterval_ReportedWithPollsInProgress()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(1).SetHoldingRegisters(0, [100, 0, 1200]);
        slave.SetFault(1, ModbusFault.Delayed(TimeSpan.FromMilliseconds(350))); // answers, but slower than the 200 ms interval
        var logger = new ListLogger<Edge.Modbus.ModbusReadingSource>();
        await using var poller = PollerHarness.Start(Site(port), logger: logger);

        var good = await poller.WaitForAsync(r => r.Channel.Channel == "lel" && r.Sequence >= 2, "two slow polls", TimeSpan.FromSeconds(10), ct);

        Assert.Equal(Quality.Good, good.Quality);
        var overrun = Assert.Single(logger.Lines.Where(l => l.Contains("longer than its 200 ms interval", StringComparison.Ordinal)).Take(1));
        Assert.Matches($@"^Warning: Poll of gd-1 took [0-9]+ ms, longer than its 200 ms interval; tcp 127\.0\.0\.1:{port} had [0-9]+\.[0-9] polls in progress on average over the last 10-20 s$", overrun);
    }
}
