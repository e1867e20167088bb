using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Grpc.V1;
using SensorGateway.Simulators.Scenarios;

namespace SensorGateway.Host.Demo;

/// <summary>What the gateway made of one demo site so far: readings heard, alarms and hazard records.</summary>
internal readonly record struct SiteTally(long Readings, int DevicesHeard, int ChannelsHeard, int Raised, int Escalated, int Records);

/// <summary>
/// Counts the demo per site: readings from the pipeline's per-channel counts, alarms and hazard records from the
/// hazard events the gateway published (what a duty officer sees), and which of a scenario's expected alarms came.
/// </summary>
internal sealed class DemoTally(IReadOnlyDictionary<ChannelId, long> readingsByChannel)
{
    private readonly List<HazardEvent> _events = [];
    private readonly Lock _gate = new();

    public void Add(HazardEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }

    public SiteTally Of(SiteDefinition site)
    {
        var heard = readingsByChannel.Where(p => p.Key.Site == site.Id && p.Value > 0).ToList();
        lock (_gate)
        {
            var events = _events.Where(e => SiteOf(e) == site.Id).ToList();
            return new SiteTally(heard.Sum(p => p.Value), heard.Select(p => p.Key.Device).Distinct().Count(), heard.Count,
                events.Where(IsRaised).Select(e => (e.Alarm.Device, e.Alarm.Channel, e.Alarm.Level)).Distinct().Count(),
                events.Count(e => e.Kind == HazardEventKind.Escalated),
                events.Count(e => e.Kind == HazardEventKind.RecordOpened));
        }
    }

    /// <summary>The expected alarms of the site's scenario that have not been seen (at any time: the demo reports, it does not judge timing).</summary>
    public IReadOnlyList<ExpectedAlarm> Missing(DemoSite demo)
    {
        lock (_gate)
        {
            return [.. demo.Scenario.ExpectedAlarms.Where(x => !_events.Any(e => e.Alarm is { } a && a.Site == demo.Site.Id
                && a.Device == x.Device && a.Channel == x.Channel && (int)a.Level == (int)x.Level
                && (x.Kind == Core.Alarms.AlarmEventKind.Raised ? IsRaised(e) : e.Kind.ToString() == x.Kind.ToString())))];
        }
    }

    private static string? SiteOf(HazardEvent e) => e.Alarm?.Site ?? e.Record?.Site;

    // An alarm that opens a hazard record is announced by the record's event.
    private static bool IsRaised(HazardEvent e) => e.Kind is HazardEventKind.Raised || (e.Kind is HazardEventKind.RecordOpened && e.Alarm is not null);
}
