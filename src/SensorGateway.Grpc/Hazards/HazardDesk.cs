using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using SensorGateway.Alarms;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Pipeline;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// Joins the alarm stream, the <see cref="HazardTracker"/> and the durable <see cref="HazardEventLog"/>: every alarm
/// event and every operator command becomes one sequenced, committed event, and the record it touches is saved
/// in the same transaction. One lock orders tracker changes and log appends, so the log replays the tracker; the
/// commit itself happens outside it (group commit), so detection never waits on the disk.
/// </summary>
public sealed class HazardDesk : IHazardDesk, IAlarmPublisher
{
    private readonly Lock _gate = new();
    private readonly HazardEventLog _log;
    private readonly HazardTracker _tracker;
    private readonly TimeProvider _time;
    private readonly IAlarmOperator? _alarms;
    private readonly ILogger<HazardDesk> _logger;
    private readonly Dictionary<string, ulong> _recordSequences;

    /// <param name="log">The durable log; its start-up state must be what <paramref name="tracker"/> was built from.</param>
    /// <param name="tracker">The tracker, built with the log's stored records.</param>
    /// <param name="time">The clock of command times and overdue flags.</param>
    /// <param name="alarms">The live alarm engine for shelve/unshelve; null when the host runs none.</param>
    /// <param name="logger">Where to log.</param>
    public HazardDesk(HazardEventLog log, HazardTracker tracker, TimeProvider time, IAlarmOperator? alarms, ILogger<HazardDesk> logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _log = log;
        _tracker = tracker;
        _time = time;
        _alarms = alarms;
        _logger = logger;
        _recordSequences = new Dictionary<string, ulong>(log.State.RecordSequences, StringComparer.Ordinal);
        HazardsLog.Loaded(logger, log.State.RecordCount, log.State.Records.Count, log.State.OldestSequence, log.State.LastSequence);
    }

    public ulong LastSequence => _log.LastSequence;

    /// <summary>Open hazard-stream subscriptions.</summary>
    public int SubscriberCount => _log.SubscriberCount;

    public HazardEventSubscription Subscribe(ulong afterSequence) => _log.Subscribe(afterSequence);

    /// <summary>
    /// Records the alarm event and what it did to a hazard record (opened, escalated, cleared). The events take their
    /// place in the log before this returns; the task completes when they are durable and sent to subscribers.
    /// </summary>
    public ValueTask PublishAsync(AlarmEvent alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        Task committed;
        lock (_gate)
        {
            var record = _tracker.Apply(alarm, out var opened);
            var snapshot = record is null ? null : HazardMapper.ToContract(record, 0, _time.GetUtcNow());
            var alarmEvent = new HazardEvent
            {
                Time = Timestamp.FromDateTimeOffset(alarm.Time),
                Kind = HazardMapper.KindOf(alarm),
                Alarm = HazardMapper.ToContract(alarm),
                Record = snapshot,
            };
            using var together = _log.AppendTogether();
            committed = Append(alarmEvent, record);
            if (opened)
            {
                // The alarm fact, then the hazard fact (登记): two events, so alarm consumers and record consumers each see theirs.
                var openedEvent = new HazardEvent
                {
                    Time = alarmEvent.Time,
                    Kind = HazardEventKind.RecordOpened,
                    Alarm = alarmEvent.Alarm,
                    Record = snapshot!.Clone(),
                    Action = V1.HazardAction.Open,
                    Actor = "engine",
                };
                committed = Append(openedEvent, record);
                HazardsLog.Opened(_logger, record!.Id, alarm.Channel.ToString(), alarm.Level, openedEvent.Sequence);
            }
        }

        return new ValueTask(committed);
    }

    public V1.HazardRecord? Get(string recordId)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        lock (_gate)
        {
            if (_tracker.Find(recordId) is { } record)
            {
                return ToContract(record);
            }
        }

        return _log.FindStoredRecord(recordId) is var (stored, sequence) ? HazardMapper.ToContract(stored, sequence, _time.GetUtcNow()) : null;
    }

    public HazardPage List(HazardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var minLevel = query.MinLevel;
        var liveOnly = query.Statuses.Count > 0 && query.Statuses.All(s => HazardTracker.IsLive(HazardMapper.ToDomain(s)));
        List<V1.HazardRecord> held;
        ulong lastSequence;
        lock (_gate)
        {
            held = [.. _tracker.Page(query.AfterId, liveOnly, r =>
                (query.Site.Length == 0 || string.Equals(r.Channel.Site, query.Site, StringComparison.Ordinal)) &&
                (query.Sector.Length == 0 || string.Equals(r.Sector, query.Sector, StringComparison.Ordinal)) &&
                HazardMapper.ToContract(r.Level) >= minLevel &&
                (query.Statuses.Count == 0 || query.Statuses.Contains(HazardMapper.ToContract(r.Status))),
                query.PageSize + 1).Select(ToContract)];
            lastSequence = _log.LastSequence;
        }

        // The ended records the desk no longer holds, read after the held ones and outside the lock: a record evicted
        // in between is then in both (kept once), never in neither, and the store is not read while alarms wait.
        if (!liveOnly)
        {
            var now = _time.GetUtcNow();
            var ids = held.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            held.AddRange(_log.PageEndedRecords(query, query.PageSize + 1)
                .Where(s => !ids.Contains(s.Record.Id))
                .Select(s => HazardMapper.ToContract(s.Record, s.LastSequence, now)));
            held.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }

        var page = held.Take(query.PageSize).ToList();
        return new HazardPage(page, held.Count > query.PageSize ? page[^1].Id : null, lastSequence);
    }

    public async Task<HazardCommandOutcome> ExecuteAsync(string recordId, HazardCommand command, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var (outcome, committed) = Execute(recordId, command, requestId);
        await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!HazardTracker.IsLive(HazardMapper.ToDomain(outcome.Record.Status)))
        {
            // Its last event is durable, so the store answers for the ended record from now on and the desk lets go
            // of it. (A caller that stops waiting leaves it held until the next start, which loads live records only.)
            Evict(recordId);
        }

        return outcome;
    }

    private (HazardCommandOutcome Outcome, Task Committed) Execute(string recordId, HazardCommand command, string requestId)
    {
        lock (_gate)
        {
            if (Replay(recordId, HazardMapper.ToContract(command.Action), requestId) is { } replayed)
            {
                return replayed;
            }

            var current = FindHeldOrStored(recordId);
            var now = _time.GetUtcNow();

            // The lifecycle is pure: check the step first, commit it, and only then change the tracker. An ended record
            // (not held, read from the store) takes no step, so the check throws before anything changes.
            var updated = HazardLifecycle.Apply(current, command, now);
            var hazardEvent = new HazardEvent
            {
                Time = Timestamp.FromDateTimeOffset(now),
                Kind = HazardEventKind.Transitioned,
                Record = HazardMapper.ToContract(updated, 0, now),
                Action = HazardMapper.ToContract(command.Action),
                Actor = command.Actor,
                Note = command.Note,
                RequestId = requestId,
            };
            var committed = Append(hazardEvent, updated);
            _tracker.Apply(recordId, command, now);
            HazardsLog.Transitioned(_logger, recordId, command.Action, current.Status, updated.Status, command.Actor, hazardEvent.Sequence);
            return (new HazardCommandOutcome(hazardEvent.Record, hazardEvent.Sequence, Replayed: false), committed);
        }
    }

    public async Task<HazardCommandOutcome> ShelveAlarmAsync(string recordId, TimeSpan? shelveFor, string actor, string note, string requestId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var action = shelveFor is null ? V1.HazardAction.UnshelveAlarm : V1.HazardAction.ShelveAlarm;
        HazardRecord record;
        (HazardCommandOutcome Outcome, Task Committed)? replayed;
        lock (_gate)
        {
            replayed = Replay(recordId, action, requestId);
            record = FindHeldOrStored(recordId);
        }

        if (replayed is var (earlier, earlierCommitted))
        {
            await earlierCommitted.WaitAsync(cancellationToken).ConfigureAwait(false);
            return earlier;
        }

        if (_alarms is null)
        {
            throw new AlarmCommandRejectedException("This gateway runs no alarm engine that takes operator commands.");
        }

        // Outside the lock: the engine publishes the alarm's own change through PublishAsync.
        var command = new AlarmCommand(shelveFor is null ? AlarmCommandKind.Unshelve : AlarmCommandKind.Shelve, record.Channel, record.RuleId, actor, note)
        {
            ShelveFor = shelveFor ?? TimeSpan.Zero,
        };
        var result = _alarms.Execute(command);
        if (!result.Accepted)
        {
            throw new AlarmCommandRejectedException(
                $"Alarm {record.Channel}#{record.RuleId} of hazard {recordId}: {result.Problem ?? "the engine did not take the command"}.");
        }

        HazardCommandOutcome outcome;
        Task committed;
        lock (_gate)
        {
            var current = _tracker.Find(recordId) ?? record;
            var now = _time.GetUtcNow();
            var hazardEvent = new HazardEvent
            {
                Time = Timestamp.FromDateTimeOffset(now),
                Kind = HazardEventKind.AlarmCommand,
                Record = HazardMapper.ToContract(current, 0, now),
                Action = action,
                Actor = actor,
                Note = note,
                RequestId = requestId,
            };
            committed = Append(hazardEvent, null);
            outcome = new HazardCommandOutcome(hazardEvent.Record, hazardEvent.Sequence, Replayed: false);
        }

        await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private (HazardCommandOutcome Outcome, Task Committed)? Replay(string recordId, V1.HazardAction action, string requestId)
    {
        if (_log.FindByRequestId(requestId) is not var (earlier, committed))
        {
            return null;
        }

        if (!string.Equals(earlier.Record?.Id, recordId, StringComparison.Ordinal) || earlier.Action != action)
        {
            throw new RequestIdConflictException(
                $"Request id '{requestId}' was already used for {earlier.Action} on {earlier.Record?.Id} (event {earlier.Sequence}); use a new id for a new command.");
        }

        return (new HazardCommandOutcome(earlier.Record!, earlier.Sequence, Replayed: true), committed);
    }

    /// <summary>The record as the desk holds it, else as the store has it (an ended record); call under the lock.</summary>
    private HazardRecord FindHeldOrStored(string recordId) =>
        _tracker.Find(recordId) ?? _log.FindStoredRecord(recordId)?.Record ?? throw new HazardNotFoundException($"No hazard record {recordId}.");

    private void Evict(string recordId)
    {
        lock (_gate)
        {
            if (_tracker.Evict(recordId))
            {
                _recordSequences.Remove(recordId);
            }
        }
    }

    private Task Append(HazardEvent hazardEvent, HazardRecord? record)
    {
        var committed = _log.Append(hazardEvent, record);
        if (hazardEvent.Record is not null && record is not null)
        {
            _recordSequences[record.Id] = hazardEvent.Sequence;
        }

        return committed;
    }

    private V1.HazardRecord ToContract(HazardRecord record) =>
        HazardMapper.ToContract(record, _recordSequences.GetValueOrDefault(record.Id), _time.GetUtcNow());
}
