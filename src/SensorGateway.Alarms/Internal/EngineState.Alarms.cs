using System.Globalization;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

/// <summary>The ISA-18.2 transitions, annunciation, chattering and flood accounting.</summary>
internal sealed partial class EngineState
{
    /// <summary>Moves an alarm towards the condition's level; emits the change unless the alarm is hidden.</summary>
    private void Drive(AlarmInstance alarm, AlarmLevel condition, string limit, double setPoint, int priority, HazardGrade grade,
        bool latching, long now)
    {
        if (condition > AlarmLevel.None)
        {
            if (!alarm.Active)
            {
                Set(alarm, condition, limit, setPoint, priority, grade);
                alarm.Active = true;
                alarm.Latched = false;
                alarm.Acked = false;
                alarm.ActiveSince = now;
                alarm.LastAnnounced = now;
                Emit(alarm, AlarmEventKind.Raised, "raised");
                RecordActivation(alarm, now);
            }
            else if (alarm.Latched)
            {
                alarm.Latched = false;
                alarm.Acked = false;
                alarm.LastAnnounced = now;
                if (condition > alarm.Level)
                {
                    Set(alarm, condition, limit, setPoint, priority, grade);
                    BreakChatter(alarm);
                    Emit(alarm, AlarmEventKind.Escalated, "escalated");
                }
                else
                {
                    Emit(alarm, AlarmEventKind.Realarmed, "active again before reset");
                }

                RecordActivation(alarm, now);
            }
            else if (condition > alarm.Level)
            {
                Set(alarm, condition, limit, setPoint, priority, grade);
                alarm.Acked = false;
                alarm.LastAnnounced = now;
                BreakChatter(alarm);
                Emit(alarm, AlarmEventKind.Escalated, "escalated");
            }
            else if (condition < alarm.Level && !latching)
            {
                Set(alarm, condition, limit, setPoint, priority, grade);
                Emit(alarm, AlarmEventKind.Deescalated, "de-escalated");
            }
            else if (condition == alarm.Level && !ReferenceEquals(limit, alarm.Limit) && !latching)
            {
                Set(alarm, condition, limit, setPoint, priority, grade);
            }

            return;
        }

        if (!alarm.Active || alarm.Latched)
        {
            return;
        }

        if (latching)
        {
            alarm.Latched = true;
            Emit(alarm, AlarmEventKind.Deescalated, "back to normal; latched until reset");
            return;
        }

        alarm.Active = false;
        alarm.Level = AlarmLevel.None;
        alarm.ActiveSince = Clock.None;
        Emit(alarm, AlarmEventKind.Cleared, "cleared");
    }

    private static void Set(AlarmInstance alarm, AlarmLevel level, string limit, double setPoint, int priority, HazardGrade grade)
    {
        alarm.Level = level;
        alarm.Limit = limit;
        alarm.SetPoint = setPoint;
        alarm.Priority = priority;
        alarm.Grade = grade;
    }

    private void Emit(AlarmInstance alarm, AlarmEventKind kind, string what)
    {
        if (alarm.Hidden)
        {
            alarm.ChangedWhileHidden = true;
            return;
        }

        Announce(alarm, kind, what);
    }

    /// <summary>Puts an event in the outbox, hidden or not (operator actions are always reported).</summary>
    private void Announce(AlarmInstance alarm, AlarmEventKind kind, string what)
    {
        var trigger = alarm.Trigger;
        var value = double.IsNaN(trigger.Value) ? "no value" : trigger.Value.ToString("G6", CultureInfo.InvariantCulture) + " " + trigger.Unit;
        var setPoint = double.IsNaN(alarm.SetPoint) ? "" : " set-point " + alarm.SetPoint.ToString("G6", CultureInfo.InvariantCulture);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{alarm.Channel} {alarm.RuleId} {alarm.Limit}: {what} ({value}{setPoint}, quality {trigger.Quality}, priority {alarm.Priority})");
        _outbox.Add(new AlarmEvent(alarm.Channel, alarm.RuleId, kind, alarm.Level, alarm.Limit, alarm.State, alarm.SetPoint,
            trigger, _wallNow, message));
        if (kind == AlarmEventKind.Raised && alarm.Kind != AlarmKind.Flood)
        {
            RaisedCount++;
            OnRaised?.Invoke(alarm.Channel.Site, alarm.Level);
            CountForFlood(alarm, _mono);
        }
    }

    private void RecordActivation(AlarmInstance alarm, long now)
    {
        alarm.LastActivation = now;
        if (alarm.Kind == AlarmKind.Flood)
        {
            return;
        }

        var cycles = _options.ChatterCycles;
        var ring = alarm.Activations ??= new long[cycles];
        ring[alarm.ActivationNext] = now;
        alarm.ActivationNext = (alarm.ActivationNext + 1) % cycles;
        alarm.ActivationFill = Math.Min(alarm.ActivationFill + 1, cycles);
        var oldest = ring[alarm.ActivationNext % cycles];
        if (alarm.ActivationFill < cycles || now - oldest > _chatterWindow || alarm.ChatterSuppressed)
        {
            return;
        }

        alarm.ChatterCount++;
        ChatterDetections++;
        OnChattering?.Invoke(alarm.Channel.Site);
        if (_options.SuppressChattering)
        {
            alarm.ChatterSuppressed = true;
            alarm.ChatterLevel = alarm.Level;
            Announce(alarm, AlarmEventKind.Suppressed, string.Create(CultureInfo.InvariantCulture,
                $"chattering ({cycles} activations within {_options.ChatterWindow.TotalSeconds:G} s), suppressed; count {alarm.ChatterCount}"));
        }
    }

    /// <summary>An escalation above the level a chattering alarm was suppressed at always breaks through.</summary>
    private static void BreakChatter(AlarmInstance alarm)
    {
        if (alarm.ChatterSuppressed && alarm.Level > alarm.ChatterLevel)
        {
            alarm.ChatterSuppressed = false;
        }
    }

    /// <summary>After shelving, suppression or out-of-service ends: report the alarm's current state.</summary>
    private void Unhide(AlarmInstance alarm, AlarmEventKind kind, string what)
    {
        if (alarm.Hidden)
        {
            return;
        }

        if (alarm.ChangedWhileHidden && alarm.Active)
        {
            alarm.Acked = false; // it changed unseen: the operator must see and acknowledge it
            alarm.LastAnnounced = _mono;
        }

        alarm.ChangedWhileHidden = false;
        Announce(alarm, kind, what);
    }

    private void CountForFlood(AlarmInstance alarm, long now)
    {
        var site = alarm.Channel.Site;
        if (!_sites.TryGetValue(site, out var state))
        {
            var floodChannel = new ChannelId(site, "alarm-system", "flood");
            var flood = new AlarmInstance(floodChannel, "system.alarm-flood", AlarmKind.Flood, alarm.Trigger);
            state = new SiteState(flood);
            _sites.Add(site, state);
            Register(flood);
        }

        state.Raised.Enqueue(now);
        EvictFlood(state, now);
        if (!state.Flood.Active && state.Raised.Count > _options.FloodThreshold)
        {
            Floods++;
            OnFlood?.Invoke(site);
            state.Flood.SetTrigger(alarm.Trigger);
            Drive(state.Flood, AlarmLevel.Level1, "flood", _options.FloodThreshold, 2, HazardGrade.General, latching: false, now);
        }
    }
}
