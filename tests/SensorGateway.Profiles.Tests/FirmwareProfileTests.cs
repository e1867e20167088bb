using System.Globalization;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Profiles.Tests;

/// <summary>
/// The shipped profiles: each loads, says what it models, and decodes a recorded register block
/// (testcases/profiles/&lt;id with / as __&gt;/registers.txt) to the expected engineering values and qualities.
/// </summary>
public sealed class FirmwareProfileTests
{
    private static readonly string s_profiles = Path.Combine(AppContext.BaseDirectory, "firmware-profiles");
    private static readonly string s_cases = Path.Combine(AppContext.BaseDirectory, "testcases", "profiles");

    public static TheoryData<string> RecordedCases() => new(Directory.GetDirectories(s_cases).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void LoadDirectory_ShippedProfiles_AllLoadAndCoverTheSiteKinds()
    {
        var profiles = FirmwareProfileLoader.LoadDirectory(s_profiles);

        Assert.True(profiles.Count >= 10, $"only {profiles.Count} profiles");
        Assert.Equal(11, profiles.Values.Count(p => p.Modbus is not null));
        Assert.Contains(profiles.Values, p => p.Mqtt is not null);
        string[] kinds = ["gas.combustible", "gas.h2s", "gas.co", "gas.oxygen", "tank.product_level", "leak.interstitial", "tank.level_switch_hh", "pressure.outlet", "valve.state"];
        Assert.All(kinds, kind => Assert.Contains(profiles.Values, p => p.Channels.Any(c => c.Quantity == kind)));
    }

    [Fact]
    public void ShippedProfiles_EachStartsWithAHeaderCommentSayingWhatItModels()
    {
        foreach (var file in Directory.EnumerateFiles(s_profiles, "*.yaml", SearchOption.AllDirectories))
        {
            var lines = File.ReadLines(file).TakeWhile(l => l.StartsWith('#')).ToList();
            Assert.True(lines.Count >= 2, $"{file} needs a header comment of at least two lines saying what it models");
        }
    }

    [Fact]
    public void EveryShippedModbusProfile_HasARecordedBlock()
    {
        var profiles = FirmwareProfileLoader.LoadDirectory(s_profiles);
        var recorded = Directory.GetDirectories(s_cases).Select(d => Path.GetFileName(d).Replace("__", "/", StringComparison.Ordinal)).ToHashSet();
        Assert.All(profiles.Values.Where(p => p.Modbus is not null), p => Assert.Contains(p.Id, recorded));
    }

    [Theory]
    [MemberData(nameof(RecordedCases))]
    public void Decode_RecordedRegisterBlock_GivesExpectedValues(string name)
    {
        var id = name.Replace("__", "/", StringComparison.Ordinal);
        var profile = FirmwareProfileLoader.Parse($"{id}.yaml", File.ReadAllText(Path.Combine(s_profiles, id + ".yaml")), id);
        var space = RecordedRegisters.Parse(File.ReadAllLines(Path.Combine(s_cases, name, "registers.txt")));

        var actual = profile.Channels.Select(channel =>
        {
            var layout = channel.Register!;
            ushort? status = channel.Status is { } word ? space.Read(word.Layout.Table, word.Layout.Address, 1)[0] : null;
            var (value, quality) = ChannelValueDecoder.Decode(channel, space.Read(layout.Table, layout.Address, layout.Count), status);
            return $"{channel.Name} = {value.ToString("G6", CultureInfo.InvariantCulture)} {quality}";
        });

        var expected = File.ReadAllLines(Path.Combine(s_cases, name, "expected.txt")).Where(l => l.Length > 0);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Plan_CatalyticDetector_OneReadCoversValueStatusAndLoopCurrent()
    {
        var profile = Load("gas-detectors/catalytic-lel-detector");
        var plan = ReadRequestPlanner.Plan(profile.Channels, profile.Modbus!.MaxRegistersPerRequest, profile.Modbus.MaxGap);
        Assert.Equal(["FC03 holding 0..2 (3) -> lel, loop_current, [status]"], plan.Select(p => p.ToString()));
    }

    [Fact]
    public void Plan_64PointController_SplitsAtTheProtocolLimit()
    {
        var profile = Load("gas-detectors/gas-alarm-controller-64");
        var plan = ReadRequestPlanner.Plan(profile.Channels, profile.Modbus!.MaxRegistersPerRequest, profile.Modbus.MaxGap);
        Assert.Equal([(RegisterTable.Input, (ushort)100, (ushort)125), (RegisterTable.Input, (ushort)225, (ushort)3)], plan.Select(p => (p.Table, p.Address, p.Count)));
        Assert.Equal(63, plan[0].Channels.Count);
        Assert.Equal(62, plan[0].StatusWords.Count);
        Assert.Equal(["detector64.lel"], plan[1].Channels.Select(c => c.Name));
    }

    [Fact]
    public void Plan_ChemicalTank_SeparatesTablesAndFunctionCodes()
    {
        var profile = Load("tank-transmitters/chemical-tank-transmitters");
        var plan = ReadRequestPlanner.Plan(profile.Channels, profile.Modbus!.MaxRegistersPerRequest, profile.Modbus.MaxGap);
        Assert.Equal(["FC02 discrete 0..0 (1) -> level_switch_hh", "FC04 input 0..6 (7) -> level, temperature, pressure, [diagnostics]"], plan.Select(p => p.ToString()));
    }

    [Fact]
    public void Plan_GapLargerThanAllowed_StartsANewRead()
    {
        var profile = Load("gas-detectors/co-detector");
        var plan = ReadRequestPlanner.Plan(profile.Channels, maxRegistersPerRequest: 125, maxGap: 0);
        Assert.Equal(["FC03 holding 0..3 (4) -> co, running_hours, [status]"], plan.Select(p => p.ToString()));
    }

    [Fact]
    public void Load_OneBasedProfile_NormalisesToProtocolAddresses()
    {
        var profile = Load("gas-detectors/co-detector");
        Assert.Equal([(ushort)0, (ushort)2], profile.Channels.Select(c => c.Register!.Address));
        Assert.Equal((ushort)1, profile.Channels[0].Status!.Layout.Address);
    }

    private static FirmwareProfile Load(string id) =>
        FirmwareProfileLoader.Parse(id + ".yaml", File.ReadAllText(Path.Combine(s_profiles, id + ".yaml")), id);
}
