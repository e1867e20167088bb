using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

/// <summary>Operator commands, snapshots (persistence) and KPIs.</summary>
internal sealed partial class EngineState
{
    public AlarmCommandResult Execute(AlarmCommand command)
    {
        lock (Gate)
        {
            var now = Now();
            var alarms = AlarmsOf(command.Channel);
            if (alarms.Count == 0)
            {
                RejectedCommands++;
                return AlarmCommandResult.Rejected($"No alarm on channel {command.Channel}.");
            }

            var matched = false;
            var changed = false;
            foreach (var alarm in alarms)
            {
                if (command.RuleId is not null && !string.Equals(alarm.RuleId, command.RuleId, StringComparison.Ordinal))
                {
                    continue;
                }

                matched = true;
                changed |= Apply(alarm, command, now);
            }

            if (changed)
            {
                return AlarmCommandResult.Ok;
            }

            RejectedCommands++;
            return AlarmCommandResult.Rejected(matched
                ? $"{command.Kind} does not apply to the current state of {command.Channel}#{command.RuleId ?? "*"}."
                : $"No alarm {command.RuleId} on channel {command.Channel}.");
        }
    }

    private bool Apply(AlarmInstance alarm, AlarmCommand command, long now)
    {
        var note = string.IsNullOrWhiteSpace(command.Note) ? "" : ": " + command.Note;
        switch (command.Kind)
        {
            case AlarmCommandKind.Acknowledge when !alarm.Acked:
                alarm.Acked = true;
                Announce(alarm, AlarmEventKind.Acknowledged, $"acknowledged by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.Reset when alarm.Active && alarm.Latched:
                alarm.Active = false;
                alarm.Latched = false;
                alarm.Acked = true;
                alarm.Level = AlarmLevel.None;
                alarm.ActiveSince = Clock.None;
                Announce(alarm, AlarmEventKind.Reset, $"reset by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.Shelve:
                alarm.ShelvedUntil = now + command.ShelveFor.Ticks;
                Announce(alarm, AlarmEventKind.Shelved, $"shelved by {command.Actor} until {_wallNow + command.ShelveFor:O}{note}");
                return true;
            case AlarmCommandKind.Unshelve when alarm.Shelved:
                alarm.ShelvedUntil = Clock.None;
                UnhideOrReport(alarm, AlarmEventKind.Unshelved, $"unshelved by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.Suppress when !alarm.Suppressed:
                alarm.Suppressed = true;
                Announce(alarm, AlarmEventKind.Suppressed, $"suppressed by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.Unsuppress when alarm.Suppressed || alarm.ChatterSuppressed:
                alarm.Suppressed = false;
                alarm.ChatterSuppressed = false;
                UnhideOrReport(alarm, AlarmEventKind.Unsuppressed, $"unsuppressed by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.RemoveFromService when !alarm.OutOfService:
                alarm.OutOfService = true;
                Announce(alarm, AlarmEventKind.Suppressed, $"out of service by {command.Actor}{note}");
                return true;
            case AlarmCommandKind.ReturnToService when alarm.OutOfService:
                alarm.OutOfService = false;
                UnhideOrReport(alarm, AlarmEventKind.Unsuppressed, $"returned to service by {command.Actor}{note}");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reports the end of one hiding reason; if another still hides the alarm, the event shows that state.</summary>
    private void UnhideOrReport(AlarmInstance alarm, AlarmEventKind kind, string what)
    {
        if (alarm.Hidden)
        {
            Announce(alarm, kind, what);
        }
        else
        {
            Unhide(alarm, kind, what);
        }
    }

    public AlarmSnapshot Capture(bool withChannels)
    {
        lock (Gate)
        {
            var now = Now();
            var alarms = new List<AlarmStatus>();
            foreach (var alarm in _instances)
            {
                if (alarm.Kind != AlarmKind.Flood && alarm.IsNotNormal)
                {
                    alarms.Add(ToStatus(alarm, now));
                }
            }

            if (!withChannels)
            {
                return new AlarmSnapshot { SavedAt = _wallNow, Alarms = alarms, Channels = null };
            }

            var channels = new List<ChannelMark>(_channelList.Count);
            foreach (var machine in _channelList)
            {
                if (machine.LastSourceTicks != Clock.None)
                {
                    var c = machine.Channel;
                    channels.Add(new ChannelMark(c.Site, c.Device, c.Channel, new DateTimeOffset(machine.LastSourceTicks, TimeSpan.Zero)));
                }
            }

            return new AlarmSnapshot { SavedAt = _wallNow, Alarms = alarms, Channels = channels };
        }
    }

    private AlarmStatus ToStatus(AlarmInstance alarm, long now) => new()
    {
        Site = alarm.Channel.Site,
        Device = alarm.Channel.Device,
        Channel = alarm.Channel.Channel,
        RuleId = alarm.RuleId,
        Level = alarm.Level,
        Limit = alarm.Limit,
        SetPoint = alarm.SetPoint,
        Priority = alarm.Priority,
        State = alarm.State,
        Active = alarm.Active,
        Acknowledged = alarm.Acked,
        Latched = alarm.Latched,
        ShelvedUntil = alarm.Shelved ? _wallNow + TimeSpan.FromTicks(alarm.ShelvedUntil - now) : null,
        Suppressed = alarm.Suppressed,
        OutOfService = alarm.OutOfService,
        ActiveSince = alarm.ActiveSince == Clock.None ? null : _wallNow - TimeSpan.FromTicks(now - alarm.ActiveSince),
        ChatterCount = alarm.ChatterCount,
    };

    /// <summary>Applies a saved state to a newly created alarm: it stays active without being raised again.</summary>
    private void Restore(AlarmInstance alarm, ChannelMachine? machine)
    {
        if (!_pendingRestore.Remove((alarm.Channel, alarm.RuleId), out var saved))
        {
            return;
        }

        alarm.Level = saved.Level;
        alarm.Limit = saved.Limit;
        alarm.SetPoint = saved.SetPoint;
        alarm.Priority = saved.Priority;
        alarm.Active = saved.Active;
        alarm.Acked = saved.Acknowledged;
        alarm.Latched = saved.Latched;
        alarm.Suppressed = saved.Suppressed;
        alarm.OutOfService = saved.OutOfService;
        alarm.ShelvedUntil = saved.ShelvedUntil is { } until ? _mono + Math.Max(0, (until - _wallNow).Ticks) : Clock.None;
        alarm.ActiveSince = saved.ActiveSince is { } since ? _mono - Math.Max(0, (_wallNow - since).Ticks) : Clock.None;
        alarm.LastAnnounced = alarm.Active ? _mono : Clock.None;
        alarm.ChatterCount = saved.ChatterCount;
        if (machine is null || !alarm.Active || alarm.Latched)
        {
            return;
        }

        switch (alarm.Kind)
        {
            case AlarmKind.Level:
                var named = machine.Rule.FindLimit(saved.Limit);
                if (named is null)
                {
                    return;
                }

                // The named limit and the milder ones on its side are active, as the value that raised it implies.
                var defs = machine.Rule.Limits;
                for (var i = 0; i < defs.Length; i++)
                {
                    var same = defs[i].High == named.High && (named.High ? defs[i].SetPoint <= named.SetPoint : defs[i].SetPoint >= named.SetPoint);
                    machine.Limits[i].Active = same;
                }

                machine.ConditionLevel = alarm.Level;
                break;
            case AlarmKind.Fault:
                machine.ActiveFault = Enum.TryParse<QualityReason>(saved.Limit, out var reason) ? reason : QualityReason.SensorFault;
                break;
            case AlarmKind.Rate:
                machine.RateCondition = true;
                break;
            default:
                break;
        }
    }

    public AlarmKpis Kpis()
    {
        lock (Gate)
        {
            var now = _mono;
            int active = 0, standing = 0, shelved = 0, suppressed = 0, outOfService = 0, chattering = 0, stale = 0;
            var standingAfter = _options.StandingAfter.Ticks;
            foreach (var alarm in _instances)
            {
                if (alarm.Active)
                {
                    active++;
                    if (alarm.ActiveSince != Clock.None && now - alarm.ActiveSince > standingAfter)
                    {
                        standing++;
                    }
                }

                shelved += alarm.Shelved ? 1 : 0;
                suppressed += alarm.Suppressed ? 1 : 0;
                outOfService += alarm.OutOfService ? 1 : 0;
                chattering += alarm.ChatterSuppressed ? 1 : 0;
            }

            foreach (var machine in _channelList)
            {
                stale += machine.Stale ? 1 : 0;
            }

            var bySite = new Dictionary<string, int>(StringComparer.Ordinal);
            var flooded = 0;
            foreach (var (site, state) in _sites)
            {
                EvictFlood(state, now);
                bySite[site] = state.Raised.Count;
                flooded += state.Flood.Active ? 1 : 0;
            }

            return new AlarmKpis
            {
                Readings = Readings,
                OutOfOrderReadings = OutOfOrder,
                ClockJumps = ClockJumps,
                Raised = RaisedCount,
                ChatteringDetections = ChatterDetections,
                ChatteringNow = chattering,
                Floods = Floods,
                FloodedSites = flooded,
                Active = active,
                Standing = standing,
                StaleChannels = stale,
                Shelved = shelved,
                Suppressed = suppressed,
                OutOfService = outOfService,
                RejectedCommands = RejectedCommands,
                RaisedInWindowBySite = bySite,
            };
        }
    }
}
