using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Simulators.Scenarios;

namespace SensorGateway.IntegrationTests.Scenarios;

/// <summary>
/// Each shipped scenario, end to end: simulators → gateway → VictoriaMetrics and a gRPC subscriber. Every
/// expected alarm of the scenario file must arrive within its tolerance, and no other alarm may; every device's
/// readings must be stored, including those taken while the database was unreachable (the spool delivers them).
/// </summary>
[Collection(nameof(TimedScenarios))]
public sealed class ScenarioEndToEndTests
{
    [Theory]
    [InlineData("fuel-station-delivery-leak")]
    [InlineData("chemical-tank-farm")]
    [InlineData("demo-farm-overfill")]
    [InlineData("city-gas-kitchen")]
    public async Task Play_ShippedScenario_ExpectedAlarmsNoOthersAndReadingsStored(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;

        var run = await ScenarioRun.PlayAsync(scenario, ct);

        var (missing, unexpected) = run.Compare();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"missing: [{string.Join("; ", missing)}]{Environment.NewLine}unexpected: [{string.Join("; ", unexpected)}]{Environment.NewLine}observed: [{string.Join("; ", run.Alarms)}]");
        var outages = run.Scenario.Events.Where(e => e.Type == ScenarioEventType.DatabaseOutage).ToArray();
        var quiet = run.DeviceIds.Where(d => run.Scenario.Events.All(e => e.Device != d || e.Channel is not null)).ToArray();
        var stored = await Eventually.ReturnsAsync(async token =>
        {
            var readings = await run.StoredReadingsAsync(token);
            var complete = run.DeviceIds.All(d => readings.Keys.Any(k => k.StartsWith(d + "/", StringComparison.Ordinal)))
                && outages.All(o => readings.Where(r => quiet.Contains(r.Key.Split('/')[0])).All(r => r.Value.Any(t => Inside(run, o, t))));
            return complete ? readings : null;
        }, $"every device's readings of {scenario} in VictoriaMetrics", ct);
        Assert.Equal(run.DeviceIds.Order(), stored.Keys.Select(k => k.Split('/')[0]).Distinct().Order());
    }

    private static bool Inside(ScenarioRun run, ScenarioEvent outage, long unixMilliseconds)
    {
        var at = (DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds) - run.StartedAt) * run.Scenario.Speed;
        return at >= outage.At && at < outage.Until;
    }
}

/// <summary>
/// Scenario timelines are judged against the wall clock within their tolerance, so they run on their own rather
/// than beside the rest of the suite on a 2-core machine.
/// </summary>
[CollectionDefinition(nameof(TimedScenarios), DisableParallelization = true)]
public sealed class TimedScenarios;
