using SensorGateway.Core.Alarms;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Tests;

public sealed class ScenarioLoaderTests
{
    public static TheoryData<string> Shipped => [.. TestFiles.ShippedScenarios];

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Load_ShippedScenario_LoadsAndFitsItsSite(string name)
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario(name));

        Assert.Equal(name, scenario.Name);
        Assert.NotEmpty(scenario.Events);
        var site = SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles);
        var simulated = SimulatedSite.Build(site, TestFiles.Profiles, scenario);
        Assert.Equal(site.Devices.Count, simulated.Devices.Count);
    }

    [Fact]
    public void Parse_DemoScenario_ReadsEventsAndExpectations()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("demo-fuel-leak"));

        Assert.Equal((20261129, TimeSpan.FromSeconds(40), 1.0, 14.0), (scenario.Seed, scenario.Duration, scenario.Speed, scenario.StartHour));
        var leak = Assert.Single(scenario.Events);
        Assert.Equal((ScenarioEventType.GasLeak, TimeSpan.FromSeconds(10), "gd-02", "lel", 2.0, (double?)62), (leak.Type, leak.At, leak.Device, leak.Channel, leak.Rate, leak.Peak));
        Assert.Equal(new LeakSpread("gd-01", "lel", TimeSpan.FromSeconds(3), 0.5), Assert.Single(leak.Spread));
        Assert.Equal(new ExpectedAlarm("gd-02", "lel", AlarmEventKind.Escalated, AlarmLevel.Level2, TimeSpan.FromSeconds(34), TimeSpan.FromSeconds(3)), scenario.ExpectedAlarms[1]);
    }

    [Theory]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: 10s, colour: red }", 1, "scenario.colour", "unknown key 'colour'")]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: ten }", 1, "scenario.duration", "expected a duration")]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: 10s }\nevents:\n  - { at: 2s, type: earthquake, device: d }", 3, "events[0].type", "unknown event type 'earthquake'")]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: 10s }\nevents:\n  - { at: 2s, type: gas-leak, device: d, channel: lel, peak: 50 }", 3, "events[0].rate", "missing 'rate'")]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: 10s }\nevents:\n  - { at: 5s, until: 2s, type: silent, device: d }", 3, "events[0].until", "must come after 'at'")]
    [InlineData("scenario: { name: x, site: s.yaml, seed: 1, duration: 10s }\nexpect:\n  - { at: 5s, device: d, channel: c, kind: raised, level: level9 }", 3, "expect[0].level", "unknown level 'level9'")]
    public void Parse_InvalidField_ErrorNamesFileLineAndField(string yaml, int line, string field, string problem)
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => ScenarioLoader.Parse("bad.yaml", yaml));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("bad.yaml", line, field), (error.File, error.Line, error.Field));
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EventNamesUnknownDevice_ErrorNamesScenarioLine()
    {
        var site = TestFiles.Site("demo-fuel-station");
        var scenario = ScenarioLoader.Parse("leak.yaml", "scenario: { name: x, site: s.yaml, seed: 1, duration: 10s }\nevents:\n  - { at: 2s, type: stuck, device: gd-09, channel: lel }\n");

        var ex = Assert.Throws<ConfigurationFileException>(() => SimulatedSite.Build(site, TestFiles.Profiles, scenario));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("leak.yaml", 3, "events (type stuck).device"), (error.File, error.Line, error.Field));
        Assert.StartsWith("site 'demo-fuel-01' has no device 'gd-09'", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("2m", 120_000)]
    [InlineData("00:01:30", 90_000)]
    public void TryParseDuration_KnownForms_Milliseconds(string text, int milliseconds)
    {
        Assert.True(ScenarioLoader.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }
}
