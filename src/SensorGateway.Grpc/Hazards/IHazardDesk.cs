using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Grpc.V1.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The hazard desk: current records, their lifecycle commands and the event log, as the gRPC service needs them.
/// Every command is recorded as one event; a command whose request id was seen before returns the first result.
/// </summary>
public interface IHazardDesk
{
    /// <summary>The sequence of the newest committed event.</summary>
    ulong LastSequence { get; }

    /// <inheritdoc cref="HazardEventLog.Subscribe"/>
    HazardEventSubscription Subscribe(ulong afterSequence);

    /// <summary>The record, or null when there is none with that id.</summary>
    HazardRecord? Get(string recordId);

    /// <summary>A page of records matching the query, ordered by id.</summary>
    HazardPage List(HazardQuery query);

    /// <summary>Applies an operator's lifecycle step; completes when the event that records it is durable.</summary>
    /// <exception cref="HazardNotFoundException">No record with that id.</exception>
    /// <exception cref="HazardTransitionException">The lifecycle does not allow the step now.</exception>
    /// <exception cref="RequestIdConflictException">The request id was used for another command.</exception>
    Task<HazardCommandOutcome> ExecuteAsync(string recordId, HazardCommand command, string requestId, CancellationToken cancellationToken);

    /// <summary>Shelves (<paramref name="shelveFor"/> above zero) or unshelves (null) the alarm behind a record.</summary>
    /// <exception cref="HazardNotFoundException">No record with that id.</exception>
    /// <exception cref="AlarmCommandRejectedException">The engine did not take the command.</exception>
    /// <exception cref="ArgumentException">The engine rejects the arguments.</exception>
    /// <exception cref="RequestIdConflictException">The request id was used for another command.</exception>
    Task<HazardCommandOutcome> ShelveAlarmAsync(string recordId, TimeSpan? shelveFor, string actor, string note, string requestId,
        CancellationToken cancellationToken);
}

/// <summary>A query of <see cref="IHazardDesk.List"/>.</summary>
/// <param name="AfterId">Return records with an id after this (from the page token); empty for the first page.</param>
public sealed record HazardQuery(string Site, string Sector, AlarmLevel MinLevel, IReadOnlySet<V1.HazardStatus> Statuses, string AfterId, int PageSize);

/// <summary>One page of records.</summary>
/// <param name="NextAfterId">The last id of this page when more follow; null on the last page.</param>
public sealed record HazardPage(IReadOnlyList<HazardRecord> Records, string? NextAfterId, ulong LastSequence);

/// <summary>The result of a command: the record after it and the event that recorded it.</summary>
/// <param name="Replayed">True when the request id had been seen and this is the first result again.</param>
public sealed record HazardCommandOutcome(HazardRecord Record, ulong Sequence, bool Replayed);
