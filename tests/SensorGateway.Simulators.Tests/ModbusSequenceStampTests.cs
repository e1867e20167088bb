using SensorGateway.Modbus.Client;
using SensorGateway.Profiles.Registers;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators.Load;
using SensorGateway.Simulators.Modbus;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Tests;

/// <summary>Load devices carry a per-read sequence on Modbus too, so the load harness counts lost polls by gaps.</summary>
public sealed class ModbusSequenceStampTests
{
    [Fact]
    public async Task ReadHoldingRegisters_LoadDeviceReadThreeTimes_SequencesOneTwoThreeAndOthersUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, slaves) = await StartLoadSlavesAsync(3, ct);
        await using var serving = slaves;
        slaves.Update(TimeSpan.FromSeconds(1));
        var sequence = site.Device(LoadSiteGenerator.DeviceId(0)).Channels.Single(c => c.Id == "seq").Profile!.Register!;
        await using var master = Master(slaves);

        var read = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var registers = await master.ReadHoldingRegistersAsync(1, 0, (ushort)sequence.End, ct);
            read.Add(RegisterCodec.Decode(registers.AsSpan(sequence.Address, sequence.Count), sequence));
            slaves.Update(TimeSpan.FromSeconds(2 + i)); // the signal update between polls must not reset the sequence
        }

        var unit2 = await master.ReadHoldingRegistersAsync(2, 0, (ushort)sequence.End, ct);

        Assert.Equal([1.0, 2.0, 3.0], read);
        Assert.Equal(1.0, RegisterCodec.Decode(unit2.AsSpan(sequence.Address, sequence.Count), sequence));
        Assert.Equal(3, slaves.Sequences()[LoadSiteGenerator.DeviceId(0)]);
        Assert.Equal(0, slaves.Sequences()[LoadSiteGenerator.DeviceId(2)]);
    }

    [Fact]
    public async Task CloseSequences_ThenRead_BusyAndSequenceFinalUntilReopened()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, slaves) = await StartLoadSlavesAsync(1, ct);
        await using var serving = slaves;
        await using var master = Master(slaves);
        await master.ReadHoldingRegistersAsync(1, 0, 4, ct);

        slaves.CloseSequences();
        var busy = await Assert.ThrowsAsync<global::SensorGateway.Modbus.ModbusSlaveException>(() => master.ReadHoldingRegistersAsync(1, 0, 4, ct));
        var final = slaves.Sequences()[LoadSiteGenerator.DeviceId(0)];
        slaves.ReopenSequences();
        await master.ReadHoldingRegistersAsync(1, 0, 4, ct);

        Assert.Equal(global::SensorGateway.Modbus.ModbusExceptionCode.ServerDeviceBusy, busy.ExceptionCode);
        Assert.Equal((1L, 2L), (final, slaves.Sequences()[LoadSiteGenerator.DeviceId(0)]));
    }

    [Fact]
    public void Generate_Probes_NonLatchingLevel2LimitsAndLeftOutOfTheLoad()
    {
        var site = SiteFileLoader.Parse("load.yaml", LoadSiteGenerator.Generate("load-01", 4, 1, 0.5, 15100, probes: 2), TestFiles.Profiles);

        var probe = site.Devices.Single(d => d.Id == LoadSiteGenerator.ProbeId(1));
        var rule = probe.Channels.Single().Alarm!;
        Assert.False(rule.Latching);
        Assert.Contains(rule.Limits, l => l.Level == Core.Alarms.AlarmLevel.Level2 && l.SetPoint == 50);
        var simulated = SimulatedSite.Build(site, TestFiles.Profiles);
        Assert.Equal(2, new MqttLoadPublisher(simulated, new ScenarioClock(TimeProvider.System)).DeviceCount);
    }

    [Fact]
    public void LoadPublisher_SpreadPhases_EachDeviceAtItsOwnShareOfTheInterval_AlignedAllAtTheStart()
    {
        var interval = TimeSpan.FromSeconds(1);

        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(750)],
            Enumerable.Range(0, 4).Select(i => MqttLoadPublisher.Offset(i, 4, interval, aligned: false)));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(TimeSpan.Zero, MqttLoadPublisher.Offset(i, 4, interval, aligned: true)));
    }

    /// <summary>A load site of Modbus devices only, its slaves listening.</summary>
    private static async Task<(SimulatedSite Site, ModbusSiteSimulator Slaves)> StartLoadSlavesAsync(int devices, CancellationToken cancellationToken)
    {
        var site = SimulatedSite.Build(SiteFileLoader.Parse("load.yaml", LoadSiteGenerator.Generate("load-01", devices, 1, 1, FreePort.Next()), TestFiles.Profiles), TestFiles.Profiles);
        var slaves = new ModbusSiteSimulator(site);
        await slaves.StartAsync(cancellationToken);
        return (site, slaves);
    }

    private static ModbusTcpMaster Master(ModbusSiteSimulator slaves) =>
        new(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slaves.Endpoints[LoadSiteGenerator.DeviceId(0)].Port, Retries = 0 });
}
