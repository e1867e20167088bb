using System.Threading.Channels;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Grpc.V1.HazardRecord;

namespace SensorGateway.Grpc.Tests.Infrastructure;

/// <summary>A hand-written fake of <see cref="IHazardDesk"/>: canned records and events, and the commands it was given.</summary>
internal sealed class FakeHazardDesk : IHazardDesk
{
    public List<HazardRecord> Records { get; } = [];

    public List<HazardEvent> Backlog { get; } = [];

    public Channel<HazardEvent> Live { get; } = Channel.CreateUnbounded<HazardEvent>();

    public List<(string RecordId, HazardCommand Command, string RequestId)> Commands { get; } = [];

    public Exception? Throw { get; set; }

    public int BacklogPageSize { get; set; } = 2;

    public ulong LastSequence => Backlog.Count == 0 ? 0 : Backlog[^1].Sequence;

    public HazardEventSubscription Subscribe(ulong afterSequence)
    {
        if (Throw is not null)
        {
            throw Throw;
        }

        return new HazardEventSubscription(afterSequence, LastSequence, Live,
            (after, through, max) => Backlog.Where(e => e.Sequence > after && e.Sequence <= through).Take(max).ToList(), pageSize: BacklogPageSize);
    }

    public HazardRecord? Get(string recordId) => Records.FirstOrDefault(r => r.Id == recordId);

    public HazardPage List(HazardQuery query)
    {
        var matching = Records.Where(r => string.CompareOrdinal(r.Id, query.AfterId) > 0).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var page = matching.Take(query.PageSize).ToList();
        return new HazardPage(page, matching.Count > query.PageSize ? page[^1].Id : null, LastSequence);
    }

    public Task<HazardCommandOutcome> ExecuteAsync(string recordId, HazardCommand command, string requestId, CancellationToken cancellationToken)
    {
        Commands.Add((recordId, command, requestId));
        return Throw is not null ? Task.FromException<HazardCommandOutcome>(Throw) : Task.FromResult(new HazardCommandOutcome(new HazardRecord { Id = recordId }, 42, Replayed: false));
    }

    public Task<HazardCommandOutcome> ShelveAlarmAsync(string recordId, TimeSpan? shelveFor, string actor, string note, string requestId,
        CancellationToken cancellationToken) =>
        Throw is not null ? Task.FromException<HazardCommandOutcome>(Throw) : Task.FromResult(new HazardCommandOutcome(new HazardRecord { Id = recordId }, 43, Replayed: false));
}
