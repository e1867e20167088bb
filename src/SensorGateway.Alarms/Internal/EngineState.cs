using System.Globalization;
using System.Reactive.Concurrency;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

/// <summary>
/// The state of the fold: per-channel machines, voting groups, per-site flood windows, and the outbox of changes.
/// Every method runs under <see cref="Gate"/>; the Rx pipeline serialises readings and ticks, commands take the gate too.
/// </summary>
internal sealed partial class EngineState
{
    private static readonly string[] ReasonNames = Enum.GetNames<QualityReason>();
    private static readonly AlarmLevel[] VoteLevels = [AlarmLevel.Level2, AlarmLevel.Level1];

    private readonly AlarmRuleBook _rules;
    private readonly IScheduler _scheduler;
    private readonly AlarmEngineOptions _options;
    private readonly Dictionary<ChannelId, ChannelMachine> _channels = [];
    private readonly List<ChannelMachine> _channelList = [];
    private readonly List<AlarmInstance> _instances = [];
    // Vote and flood alarms by their channel id; a channel machine's own alarms are found through _channels.
    private readonly Dictionary<ChannelId, List<AlarmInstance>> _othersByChannel = [];
    private readonly List<VoteGroup> _votes = [];
    private readonly Dictionary<string, SiteState> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<(ChannelId Channel, string RuleId), AlarmStatus> _pendingRestore = [];
    private readonly Dictionary<ChannelId, long> _pendingMarks = [];
    private readonly List<AlarmEvent> _outbox = [];
    private readonly long _chatterWindow;
    private readonly long _chatterRelease;
    private readonly long _floodWindow;
    private readonly long _maxStep;
    private readonly long _deviceJump;
    private long _mono;
    private long _lastWall;
    private DateTimeOffset _wallNow;

    public EngineState(AlarmRuleBook rules, IScheduler scheduler, AlarmEngineOptions options, AlarmSnapshot? restore)
    {
        _rules = rules;
        _scheduler = scheduler;
        _options = options;
        _chatterWindow = options.ChatterWindow.Ticks;
        _chatterRelease = options.ChatterRelease.Ticks;
        _floodWindow = options.FloodWindow.Ticks;
        _maxStep = options.MaxClockStep.Ticks;
        _deviceJump = options.DeviceClockJump.Ticks;
        _wallNow = scheduler.Now;
        _lastWall = _wallNow.UtcTicks;
        if (restore is not null)
        {
            foreach (var status in restore.Alarms)
            {
                _pendingRestore[(new ChannelId(status.Site, status.Device, status.Channel), status.RuleId)] = status;
            }

            foreach (var mark in restore.Channels ?? [])
            {
                _pendingMarks[new ChannelId(mark.Site, mark.Device, mark.Channel)] = mark.LastSourceTime.UtcTicks;
            }
        }

        foreach (var binding in rules.Bindings)
        {
            var machine = AddChannel(binding.Rule.Channel, binding.Rule.Quantity, binding.Rule.Unit, binding.Compiled, binding.FromPack, binding.Rule.Area);
            if (binding.Compiled.VoteRequired >= 2 && binding.Rule.Area is { } area)
            {
                JoinVote(machine, area);
            }
        }

        foreach (var group in _votes)
        {
            group.LimitName = string.Create(CultureInfo.InvariantCulture, $"{group.Rule.VoteRequired}oo{group.Members.Count}");
            group.Alarm.Limit = group.LimitName;
            Restore(group.Alarm, null);
        }
    }

    public Lock Gate { get; } = new();

    public long Readings;
    public long OutOfOrder;
    public long ClockJumps;
    public long RaisedCount;
    public long ChatterDetections;
    public long Floods;
    public long RejectedCommands;

    public bool HasChanges => _outbox.Count > 0;

    /// <summary>Raised when an alarm is raised, for the meter (site, level).</summary>
    public Action<string, AlarmLevel>? OnRaised { get; set; }

    public Action<string>? OnChattering { get; set; }

    public Action<string>? OnFlood { get; set; }

    /// <summary>Starts the clock afresh when the pipeline is subscribed (time before that is not elapsed time).</summary>
    public void Start()
    {
        lock (Gate)
        {
            _wallNow = _scheduler.Now;
            _lastWall = _wallNow.UtcTicks;
        }
    }

    /// <summary>The fold step.</summary>
    public EngineState Step(EngineInput input)
    {
        lock (Gate)
        {
            switch (input.Kind)
            {
                case EngineInputKind.Reading:
                    OnReading(input.Reading);
                    break;
                case EngineInputKind.Tick:
                    OnTick();
                    break;
                default:
                    break;
            }
        }

        return this;
    }

    public AlarmEvent[] TakeChanges()
    {
        lock (Gate)
        {
            if (_outbox.Count == 0)
            {
                return [];
            }

            var changes = _outbox.ToArray();
            _outbox.Clear();
            return changes;
        }
    }

    /// <summary>Reads the engine clock, keeping a monotonic time that does not count clock jumps as elapsed.</summary>
    private long Now()
    {
        _wallNow = _scheduler.Now;
        var wall = _wallNow.UtcTicks;
        var step = wall - _lastWall;
        _lastWall = wall;
        if (step < 0 || step > _maxStep)
        {
            ClockJumps++;
            return _mono;
        }

        _mono += step;
        return _mono;
    }

    private ChannelMachine AddChannel(ChannelId channel, string quantity, string? unit, CompiledRule rule, bool fromPack, string? area)
    {
        var machine = new ChannelMachine(channel, quantity, unit, rule, fromPack, area, _mono, _wallNow);
        _channels.Add(channel, machine);
        _channelList.Add(machine);
        Register(machine.LevelAlarm, own: true);
        Register(machine.FaultAlarm, own: true);
        if (machine.RateAlarm is { } rate)
        {
            Register(rate, own: true);
        }

        if (_pendingMarks.Remove(channel, out var mark))
        {
            machine.LastSourceTicks = mark;
        }

        Restore(machine.LevelAlarm, machine);
        Restore(machine.FaultAlarm, machine);
        if (machine.RateAlarm is not null)
        {
            Restore(machine.RateAlarm, machine);
        }

        return machine;
    }

    /// <param name="own">An alarm of a channel machine (found through the machine), not a vote or flood alarm.</param>
    private void Register(AlarmInstance instance, bool own = false)
    {
        instance.Order = _instances.Count;
        _instances.Add(instance);
        if (own)
        {
            return;
        }

        if (!_othersByChannel.TryGetValue(instance.Channel, out var list))
        {
            list = [];
            _othersByChannel.Add(instance.Channel, list);
        }

        list.Add(instance);
    }

    /// <summary>Every alarm registered under <paramref name="channel"/>, in the order they were registered.</summary>
    private List<AlarmInstance> AlarmsOf(ChannelId channel)
    {
        var alarms = new List<AlarmInstance>(4);
        if (_channels.TryGetValue(channel, out var machine))
        {
            alarms.Add(machine.LevelAlarm);
            alarms.Add(machine.FaultAlarm);
            if (machine.RateAlarm is { } rate)
            {
                alarms.Add(rate);
            }
        }

        if (_othersByChannel.TryGetValue(channel, out var others))
        {
            alarms.AddRange(others);
            alarms.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        }

        return alarms;
    }

    private void JoinVote(ChannelMachine machine, string area)
    {
        var group = _votes.Find(g => ReferenceEquals(g.Rule, machine.Rule) &&
            string.Equals(g.Alarm.Channel.Site, machine.Channel.Site, StringComparison.Ordinal) &&
            string.Equals(g.Alarm.Channel.Device, area, StringComparison.Ordinal));
        if (group is null)
        {
            var channel = new ChannelId(machine.Channel.Site, area, "vote");
            var alarm = new AlarmInstance(channel, machine.Rule.VoteRuleId, AlarmKind.Vote, machine.Last) { SetPoint = machine.Rule.VoteRequired };
            group = new VoteGroup(alarm, machine.Rule);
            _votes.Add(group);
            Register(alarm);
        }

        group.Members.Add(machine);
        machine.Vote = group;
    }

    private ChannelMachine Resolve(in Reading reading)
    {
        if (_channels.TryGetValue(reading.Channel, out var machine))
        {
            return machine;
        }

        var rule = _rules.ForQuantity(reading.Quantity, reading.Unit);
        return AddChannel(reading.Channel, reading.Quantity, reading.Unit, rule, fromPack: true, area: null);
    }

    private void OnReading(in Reading reading)
    {
        Readings++;
        if (reading.Channel is null)
        {
            return;
        }

        var machine = Resolve(reading);
        var source = reading.SourceTime.UtcTicks;
        if (machine.LastSourceTicks != Clock.None && source < machine.LastSourceTicks)
        {
            if (machine.LastSourceTicks - source <= _deviceJump)
            {
                OutOfOrder++;
                return;
            }

            ClockJumps++; // the device clock went back: take the new time as the baseline
        }

        var now = Now();
        machine.LastSourceTicks = source;
        machine.Last = reading;
        machine.HasReading = true;
        machine.LastReceived = now;
        machine.Stale = false;
        CheckUnit(machine, reading);
        var rule = machine.Rule;

        var fault = QualityReason.None;
        var usable = false;
        var raiseOnly = false;
        var value = reading.Value;
        if (machine.UnitMismatch)
        {
            fault = QualityReason.DecodeError;
        }
        else if (reading.Quality.Status == QualityStatus.Bad)
        {
            fault = reading.Quality.Reason == QualityReason.None ? QualityReason.SensorFault : reading.Quality.Reason;
        }
        else if (reading.Quality.Status == QualityStatus.Good)
        {
            if (!double.IsFinite(value))
            {
                fault = QualityReason.DecodeError;
            }
            else if (rule.FaultValues.Length > 0 && Array.IndexOf(rule.FaultValues, value) >= 0)
            {
                fault = QualityReason.SensorFault;
            }
            else if (value < rule.ValidMin || value > rule.ValidMax)
            {
                // Out of range: a fault, yet a real value — it may raise a limit, never clear one.
                fault = QualityReason.OutOfRange;
                raiseOnly = true;
            }
            else
            {
                usable = true;
                if (rule.FlatlineAfter > 0)
                {
                    if (double.IsNaN(machine.FlatValue) || Math.Abs(value - machine.FlatValue) > rule.FlatlineTolerance)
                    {
                        machine.FlatValue = value;
                        machine.FlatSince = now;
                    }
                    else if (now - machine.FlatSince >= rule.FlatlineAfter)
                    {
                        fault = QualityReason.Flatline;
                        usable = false;
                    }
                }
            }
        }

        machine.Usable = usable;
        machine.ReadingFault = fault;
        EvaluateFault(machine, now);
        if (usable || raiseOnly)
        {
            UpdateLimits(machine, value, now, raiseOnly);
        }
        else
        {
            InterruptLimits(machine);
        }

        DriveLevel(machine, now);
        if (usable && machine.RateAlarm is not null)
        {
            UpdateRate(machine, reading, now);
        }
    }

    private void CheckUnit(ChannelMachine machine, in Reading reading)
    {
        if (ReferenceEquals(machine.CheckedUnit, reading.Unit))
        {
            return;
        }

        machine.CheckedUnit = reading.Unit;
        machine.UnitMismatch = false;
        if (machine.Rule.Unit is null || Units.Same(machine.Rule.Unit, reading.Unit))
        {
            return;
        }

        if (machine.RuleFromPack)
        {
            var other = _rules.ForQuantity(machine.Quantity, reading.Unit);
            if (other.Unit is not null && Units.Same(other.Unit, reading.Unit) && other.Limits.Length == machine.Rule.Limits.Length &&
                string.Equals(other.Id, machine.Rule.Id, StringComparison.Ordinal))
            {
                machine.Rule = other; // the pack's variant for this unit (e.g. ppm instead of mg/m3)
                return;
            }
        }

        machine.UnitMismatch = true;
    }

    private static void InterruptLimits(ChannelMachine machine)
    {
        var limits = machine.Limits;
        for (var i = 0; i < limits.Length; i++)
        {
            limits[i].PendingSince = Clock.None;
        }
    }

    private static void UpdateLimits(ChannelMachine machine, double value, long now, bool raiseOnly)
    {
        var limits = machine.Limits;
        var defs = machine.Rule.Limits;
        for (var i = 0; i < limits.Length; i++)
        {
            ref var state = ref limits[i];
            var limit = defs[i];
            var breached = limit.Breached(value, state.Active);
            if (breached == state.Active || (raiseOnly && !breached))
            {
                state.PendingSince = Clock.None;
                continue;
            }

            if (state.PendingSince == Clock.None)
            {
                state.PendingSince = now;
            }

            if (now - state.PendingSince >= (state.Active ? limit.OffDelay : limit.OnDelay))
            {
                state.Active = breached;
                state.PendingSince = Clock.None;
            }
        }
    }

    /// <summary>Completes on/off delays that ran out between readings.</summary>
    private static bool ExpireLimitDelays(ChannelMachine machine, long now)
    {
        var changed = false;
        var limits = machine.Limits;
        var defs = machine.Rule.Limits;
        for (var i = 0; i < limits.Length; i++)
        {
            ref var state = ref limits[i];
            if (state.PendingSince != Clock.None &&
                now - state.PendingSince >= (state.Active ? defs[i].OffDelay : defs[i].OnDelay))
            {
                state.Active = !state.Active;
                state.PendingSince = Clock.None;
                changed = true;
            }
        }

        return changed;
    }

    private void DriveLevel(ChannelMachine machine, long now)
    {
        var defs = machine.Rule.Limits;
        var limits = machine.Limits;
        CompiledLimit? top = null;
        for (var i = 0; i < limits.Length; i++)
        {
            if (limits[i].Active && (top is null || defs[i].Level >= top.Level))
            {
                top = defs[i];
            }
        }

        var level = top?.Level ?? AlarmLevel.None;
        var alarm = machine.LevelAlarm; // its trigger is machine.Last
        if (top is not null)
        {
            Drive(alarm, level, top.Name, top.SetPoint, top.Priority, top.Grade, machine.Rule.Latching, now);
        }
        else
        {
            Drive(alarm, AlarmLevel.None, alarm.Limit, alarm.SetPoint, alarm.Priority, alarm.Grade, machine.Rule.Latching, now);
        }

        if (level != machine.ConditionLevel)
        {
            machine.ConditionLevel = level;
            if (machine.Vote is { } vote)
            {
                UpdateVote(vote, machine.Last, now);
            }
        }
    }

    private void EvaluateFault(ChannelMachine machine, long now)
    {
        var rule = machine.Rule;
        var reason = machine.Stale ? QualityReason.Stale : machine.ReadingFault;
        if (reason != QualityReason.None && !rule.FaultEnabled(reason))
        {
            reason = QualityReason.None;
        }

        var alarm = machine.FaultAlarm; // its trigger is machine.Last
        if (reason != QualityReason.None)
        {
            machine.FaultOffSince = Clock.None;
            if (alarm.Active)
            {
                machine.ActiveFault = reason;
                alarm.Limit = ReasonNames[(int)reason];
                return;
            }

            if (machine.PendingFault != reason)
            {
                machine.PendingFault = reason;
                machine.FaultPendingSince = now;
            }

            if (now - machine.FaultPendingSince >= rule.FaultOnDelay(reason))
            {
                machine.PendingFault = QualityReason.None;
                machine.FaultPendingSince = Clock.None;
                machine.ActiveFault = reason;
                Drive(alarm, AlarmLevel.Fault, ReasonNames[(int)reason], double.NaN, 3, Core.Hazards.HazardGrade.General, latching: false, now);
            }

            return;
        }

        machine.PendingFault = QualityReason.None;
        machine.FaultPendingSince = Clock.None;
        if (!alarm.Active)
        {
            return;
        }

        if (!machine.Usable)
        {
            machine.FaultOffSince = Clock.None; // only good readings count towards clearing a fault
            return;
        }

        if (machine.FaultOffSince == Clock.None)
        {
            machine.FaultOffSince = now;
        }

        if (now - machine.FaultOffSince >= rule.FaultOffDelay(machine.ActiveFault))
        {
            machine.FaultOffSince = Clock.None;
            machine.ActiveFault = QualityReason.None;
            Drive(alarm, AlarmLevel.None, alarm.Limit, double.NaN, alarm.Priority, alarm.Grade, latching: false, now);
        }
    }

    private void UpdateRate(ChannelMachine machine, in Reading reading, long now)
    {
        var rate = machine.Rule.Rate!;
        var source = reading.SourceTime.UtcTicks;
        if (machine.RateAnchorTicks == Clock.None || source <= machine.RateAnchorTicks)
        {
            machine.RateAnchorTicks = source;
            machine.RateAnchorValue = reading.Value;
            return;
        }

        var elapsed = source - machine.RateAnchorTicks;
        if (elapsed < machine.Rule.RateWindow)
        {
            return;
        }

        var perMinute = (reading.Value - machine.RateAnchorValue) / elapsed * TimeSpan.TicksPerMinute;
        if (rate.Direction == AlarmDirection.Low)
        {
            perMinute = -perMinute;
        }

        machine.RateAnchorTicks = source;
        machine.RateAnchorValue = reading.Value;
        var condition = machine.RateCondition ? perMinute >= rate.RatePerMinute - rate.Deadband : perMinute >= rate.RatePerMinute;
        machine.RateCondition = condition;
        var alarm = machine.RateAlarm!;
        alarm.SetTrigger(reading);
        Drive(alarm, condition ? rate.Level : AlarmLevel.None, rate.Name, rate.RatePerMinute, rate.Priority, rate.HazardGrade,
            machine.Rule.Latching, now);
    }

    private void UpdateVote(VoteGroup group, in Reading trigger, long now)
    {
        var required = group.Rule.VoteRequired;
        var voted = AlarmLevel.None;
        foreach (var level in VoteLevels)
        {
            var count = 0;
            foreach (var member in group.Members)
            {
                if (member.ConditionLevel >= level)
                {
                    count++;
                }
            }

            if (count >= required)
            {
                voted = level;
                break;
            }
        }

        var alarm = group.Alarm;
        alarm.SetTrigger(trigger);
        var priority = group.Rule.Limits.Length > 0 ? group.Rule.Limits.Min(l => l.Priority) : 2;
        var grade = group.Rule.Limits.Length > 0 ? group.Rule.Limits.Max(l => l.Grade) : Core.Hazards.HazardGrade.General;
        Drive(alarm, voted, group.LimitName, required, priority, grade, group.Rule.Latching, now);
    }

    private void OnTick()
    {
        var now = Now();
        foreach (var machine in _channelList)
        {
            var rule = machine.Rule;
            if (!machine.Stale && rule.StaleAfter > 0 && now - machine.LastReceived >= rule.StaleAfter)
            {
                machine.Stale = true;
                machine.Usable = false;
                InterruptLimits(machine);
                EvaluateFault(machine, now);
            }
            else if (machine.PendingFault != QualityReason.None || machine.FaultOffSince != Clock.None)
            {
                EvaluateFault(machine, now);
            }

            if (ExpireLimitDelays(machine, now))
            {
                DriveLevel(machine, now);
            }

            ReAlarm(machine, now);
        }

        foreach (var instance in _instances)
        {
            if (instance.Shelved && now >= instance.ShelvedUntil)
            {
                instance.ShelvedUntil = Clock.None;
                Unhide(instance, AlarmEventKind.Unshelved, "shelving expired");
            }

            if (instance.ChatterSuppressed && now - instance.LastActivation >= _chatterRelease)
            {
                instance.ChatterSuppressed = false;
                Unhide(instance, AlarmEventKind.Unsuppressed, "no longer chattering");
            }
        }

        foreach (var site in _sites.Values)
        {
            EvictFlood(site, now);
            if (site.Flood.Active && site.Raised.Count <= _options.FloodThreshold)
            {
                Drive(site.Flood, AlarmLevel.None, "flood", _options.FloodThreshold, 2, Core.Hazards.HazardGrade.General, latching: false, now);
            }
        }
    }

    private void ReAlarm(ChannelMachine machine, long now)
    {
        var alarm = machine.LevelAlarm;
        if (!alarm.Active || alarm.Latched || alarm.LastAnnounced == Clock.None)
        {
            return;
        }

        var limit = machine.Rule.FindLimit(alarm.Limit);
        if (limit is null || limit.ReAlarm <= 0 || now - alarm.LastAnnounced < limit.ReAlarm)
        {
            return;
        }

        alarm.LastAnnounced = now;
        alarm.Acked = false;
        Emit(alarm, AlarmEventKind.Realarmed, "still active: re-alarm");
    }

    private void EvictFlood(SiteState site, long now)
    {
        while (site.Raised.Count > 0 && now - site.Raised.Peek() >= _floodWindow)
        {
            site.Raised.Dequeue();
        }
    }
}
