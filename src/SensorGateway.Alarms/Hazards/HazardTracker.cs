using System.Globalization;
using System.Reactive.Linq;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;

namespace SensorGateway.Alarms.Hazards;

/// <summary>
/// Turns alarm events into hazard records with <see cref="HazardLifecycle"/>: an activation opens a record, a higher
/// level escalates the same record, a return to normal clears the alarm on it but never closes it. A new activation
/// while the record is still open (any status before closed or withdrawn) updates that record.
/// </summary>
public sealed class HazardTracker
{
    private readonly HazardTrackerOptions _options;
    private readonly AlarmRuleBook? _rules;
    private readonly Dictionary<string, HazardRecord> _byId = new(StringComparer.Ordinal);
    // Ids in order, all held and live (not closed or withdrawn): a page of records is then found without sorting every
    // record held, under the lock the alarm path also takes. A holder that keeps ended records elsewhere evicts them.
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _liveIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _liveByAlarm = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _sequence;

    /// <param name="options">Sector and location lookup; null for defaults.</param>
    /// <param name="rules">The rule book, for each limit's suggested grade and direction (peak); optional.</param>
    /// <param name="existing">Records kept from before a restart; open ones keep receiving their alarm's events.</param>
    /// <param name="lastIssuedId">
    /// The newest id issued before a restart, when <paramref name="existing"/> leaves out records (ended ones kept
    /// elsewhere): new ids continue after it, never repeating one.
    /// </param>
    public HazardTracker(HazardTrackerOptions? options = null, AlarmRuleBook? rules = null, IEnumerable<HazardRecord>? existing = null,
        string? lastIssuedId = null)
    {
        _options = options ?? new HazardTrackerOptions();
        _rules = rules;
        _sequence = NumberOf(lastIssuedId);
        foreach (var record in existing ?? [])
        {
            _byId[record.Id] = record;
            _ids.Add(record.Id);
            if (IsLive(record))
            {
                _liveIds.Add(record.Id);
                _liveByAlarm[$"{record.Channel}#{record.RuleId}"] = record.Id;
            }

            _sequence = Math.Max(_sequence, NumberOf(record.Id));
        }
    }

    /// <summary>The running number at the end of a record id ("YH-20261129-0042" → 42); 0 for none.</summary>
    private static int NumberOf(string? id)
    {
        var dash = id?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    /// <summary>Every record the tracker holds (all but the evicted), in id order; a copy, for start-up and tests.</summary>
    public IReadOnlyList<HazardRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _ids.Select(id => _byId[id])];
            }
        }
    }

    /// <summary>
    /// At most <paramref name="count"/> records with an id after <paramref name="afterId"/> (ordinal order; empty for
    /// the start) that <paramref name="matches"/> accepts, in id order. <paramref name="liveOnly"/> walks only the records
    /// that are not closed or withdrawn, so that a list of the open ones does not pass every closed record there is.
    /// </summary>
    public IReadOnlyList<HazardRecord> Page(string afterId, bool liveOnly, Func<HazardRecord, bool> matches, int count)
    {
        ArgumentNullException.ThrowIfNull(afterId);
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            var ids = liveOnly ? _liveIds : _ids;
            var page = new List<HazardRecord>();
            if (count == 0 || ids.Count == 0 || StringComparer.Ordinal.Compare(afterId, ids.Max) >= 0)
            {
                return page;
            }

            foreach (var id in afterId.Length == 0 ? ids : ids.GetViewBetween(afterId, ids.Max!))
            {
                var record = _byId[id];
                if (!string.Equals(id, afterId, StringComparison.Ordinal) && matches(record))
                {
                    page.Add(record);
                    if (page.Count == count)
                    {
                        break;
                    }
                }
            }

            return page;
        }
    }

    public HazardRecord? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>The record updates caused by alarm events: one per event that opened or changed a record.</summary>
    public IObservable<HazardRecord> Track(IObservable<AlarmEvent> alarms)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        return alarms.Select(Apply).Where(static r => r is not null)!;
    }

    /// <summary>Applies one alarm event; returns the opened or updated record, or null when no record is concerned.</summary>
    public HazardRecord? Apply(AlarmEvent alarm) => Apply(alarm, out _);

    /// <summary>As <see cref="Apply(AlarmEvent)"/>; <paramref name="opened"/> tells whether the event opened a new record.</summary>
    public HazardRecord? Apply(AlarmEvent alarm, out bool opened)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        opened = false;
        if (alarm.RuleId.StartsWith("system.", StringComparison.Ordinal) ||
            (alarm.Level == AlarmLevel.Fault && !_options.OpenOnFaults))
        {
            return null;
        }

        lock (_gate)
        {
            var key = alarm.AlarmKey;
            if (_liveByAlarm.TryGetValue(key, out var id))
            {
                var record = _byId[id];
                var effective = alarm.Kind is AlarmEventKind.Raised or AlarmEventKind.Realarmed or AlarmEventKind.Unshelved or AlarmEventKind.Unsuppressed
                    && alarm.Level > record.Level && IsActive(alarm)
                    ? alarm with { Kind = AlarmEventKind.Escalated }
                    : alarm;
                if (effective.Kind is AlarmEventKind.Acknowledged or AlarmEventKind.Shelved or AlarmEventKind.Suppressed)
                {
                    return null; // alarm-handling steps are not hazard facts
                }

                var updated = HazardLifecycle.ApplyAlarm(record, effective, HigherIsWorse(alarm));
                if (updated.Status == HazardStatus.Open && SuggestedGrade(alarm) > updated.Grade)
                {
                    updated = updated with { Grade = SuggestedGrade(alarm) };
                }

                _byId[id] = updated;
                return updated;
            }

            if (!IsActive(alarm) || alarm.Level == AlarmLevel.None ||
                alarm.Kind is not (AlarmEventKind.Raised or AlarmEventKind.Escalated or AlarmEventKind.Realarmed
                    or AlarmEventKind.Unshelved or AlarmEventKind.Unsuppressed))
            {
                return null;
            }

            var newId = string.Create(CultureInfo.InvariantCulture, $"{_options.IdPrefix}-{alarm.Time:yyyyMMdd}-{++_sequence:D4}");
            var created = HazardLifecycle.Open(newId, _options.SectorOf(alarm.Channel), _options.LocationOf(alarm.Channel), alarm)
                with { Grade = SuggestedGrade(alarm) };
            _byId[newId] = created;
            _ids.Add(newId);
            _liveIds.Add(newId);
            _liveByAlarm[key] = newId;
            opened = true;
            return created;
        }
    }

    /// <summary>
    /// Lets go of an ended (closed or withdrawn) record once it is kept elsewhere: the tracker then holds only what can
    /// still change. Returns false, and keeps the record, when it is not held or not ended.
    /// </summary>
    public bool Evict(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var record) || IsLive(record))
            {
                return false;
            }

            _byId.Remove(id);
            _ids.Remove(id);
            return true;
        }
    }

    /// <summary>Applies an operator's step to a record (the lifecycle's rules apply; it throws <see cref="HazardTransitionException"/>).</summary>
    public HazardRecord Apply(string id, HazardCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var record))
            {
                throw new KeyNotFoundException($"No hazard record {id}.");
            }

            var updated = HazardLifecycle.Apply(record, command, now);
            _byId[id] = updated;
            if (!IsLive(updated))
            {
                _liveIds.Remove(id);
                _liveByAlarm.Remove($"{updated.Channel}#{updated.RuleId}");
            }

            return updated;
        }
    }

    private static bool IsLive(HazardRecord record) => IsLive(record.Status);

    /// <summary>Whether a record in this status can still change: every status but closed and withdrawn.</summary>
    public static bool IsLive(HazardStatus status) => status is not (HazardStatus.Closed or HazardStatus.Withdrawn);

    private static bool IsActive(AlarmEvent alarm) =>
        alarm.State is AlarmState.UnacknowledgedActive or AlarmState.AcknowledgedActive or AlarmState.Latched;

    private AlarmLimitDefinition? LimitOf(AlarmEvent alarm) =>
        _rules?.DefinitionFor(alarm.Channel)?.Limits.FirstOrDefault(l => string.Equals(l.Name, alarm.Limit, StringComparison.Ordinal));

    private HazardGrade SuggestedGrade(AlarmEvent alarm) =>
        alarm.Level == AlarmLevel.Fault ? HazardGrade.General : LimitOf(alarm)?.HazardGrade ?? HazardGrade.General;

    private bool HigherIsWorse(AlarmEvent alarm) => LimitOf(alarm)?.Direction != AlarmDirection.Low;
}
