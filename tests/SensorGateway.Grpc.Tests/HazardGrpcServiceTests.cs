using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Rpc;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.Services;
using SensorGateway.Grpc.Tests.Infrastructure;
using SensorGateway.Grpc.V1;
using HazardStatus = SensorGateway.Grpc.V1.HazardStatus;

namespace SensorGateway.Grpc.Tests;

public sealed class HazardGrpcServiceTests
{
    private readonly FakeHazardDesk _desk = new();

    private static HazardEvent Event(ulong sequence, string site, HazardStatus status, V1.AlarmLevel level = V1.AlarmLevel._1) => new()
    {
        Sequence = sequence,
        Kind = HazardEventKind.Transitioned,
        Record = new V1.HazardRecord { Id = $"YH-{sequence}", Site = site, Sector = "fuel_stations", Status = status, Level = level },
    };

    [Fact]
    public async Task Subscribe_SiteAndStatusFilter_WritesOnlyMatchingEventsFromBacklogThenLive()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        _desk.Backlog.AddRange([Event(1, "a", HazardStatus.Open), Event(2, "b", HazardStatus.Open), Event(3, "a", HazardStatus.Closed), Event(4, "a", HazardStatus.Open)]);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var context = new TestServerCallContext(cts.Token);
        var writer = new TestServerStreamWriter<SubscribeResponse>();
        var service = new HazardGrpcService(_desk);
        var request = new SubscribeRequest { AfterSequence = 0, Site = "a", Statuses = { HazardStatus.Open } };

        // Act
        var call = service.Subscribe(request, writer, context);
        var first = await writer.NextAsync(ct);
        var second = await writer.NextAsync(ct);
        _desk.Live.Writer.TryWrite(Event(5, "b", HazardStatus.Open));
        _desk.Live.Writer.TryWrite(Event(6, "a", HazardStatus.Open));
        var third = await writer.NextAsync(ct);
        await cts.CancelAsync();
        await call;

        // Assert
        Assert.Equal([1UL, 4UL, 6UL], new[] { first, second, third }.Select(r => r.Event.Sequence));
        Assert.Empty(writer.Drain());
    }

    [Fact]
    public async Task Subscribe_LiveEventsQueuedTogether_BuffersEachMatchingWriteButTheLast()
    {
        // Arrange: queued before the call, so the stream finds them as one run; the run ends with an event it filters out.
        var ct = TestContext.Current.CancellationToken;
        foreach (var (sequence, site) in new[] { (1UL, "a"), (2UL, "b"), (3UL, "a"), (4UL, "b") })
        {
            _desk.Live.Writer.TryWrite(Event(sequence, site, HazardStatus.Open));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = new TestServerStreamWriter<SubscribeResponse>();

        // Act
        var call = new HazardGrpcService(_desk).Subscribe(new SubscribeRequest { Site = "a" }, writer, new TestServerCallContext(cts.Token));
        var first = await writer.NextAsync(ct);
        var second = await writer.NextAsync(ct);
        await cts.CancelAsync();
        await call;

        // Assert: the last write for this subscriber flushes, though the run goes on with an event it does not get.
        Assert.Equal([1UL, 3UL], new[] { first, second }.Select(r => r.Event.Sequence));
        Assert.Equal([WriteFlags.BufferHint, default], writer.Flags);
        Assert.Empty(writer.Drain());
    }

    [Fact]
    public async Task Subscribe_BacklogPageLongerThanFlushLimit_FlushesEveryMaxUnflushedWritesAndAtTheEnd()
    {
        var ct = TestContext.Current.CancellationToken;
        var count = (2 * HazardGrpcService.MaxUnflushedWrites) + 2;
        _desk.BacklogPageSize = 1000;
        _desk.Backlog.AddRange(Enumerable.Range(1, count).Select(i => Event((ulong)i, "a", HazardStatus.Open)));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = new TestServerStreamWriter<SubscribeResponse>();

        var call = new HazardGrpcService(_desk).Subscribe(new SubscribeRequest(), writer, new TestServerCallContext(cts.Token));
        for (var i = 0; i < count; i++)
        {
            await writer.NextAsync(ct);
        }

        await cts.CancelAsync();
        await call;

        int[] flushedAfter = [HazardGrpcService.MaxUnflushedWrites, 2 * HazardGrpcService.MaxUnflushedWrites, count];
        Assert.Equal(flushedAfter, writer.Flags.Select((flags, i) => (flags, i)).Where(w => w.flags != WriteFlags.BufferHint).Select(w => w.i + 1));
    }

    [Fact]
    public async Task Subscribe_SameEventToTwoStreams_WritesOneSharedResponse()
    {
        var ct = TestContext.Current.CancellationToken;
        var shared = Event(1, "a", HazardStatus.Open);
        _desk.Backlog.Add(shared);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (one, two) = (new TestServerStreamWriter<SubscribeResponse>(), new TestServerStreamWriter<SubscribeResponse>());

        var calls = new[] { one, two }.Select(w => new HazardGrpcService(_desk).Subscribe(new SubscribeRequest(), w, new TestServerCallContext(cts.Token))).ToList();
        var fromOne = await one.NextAsync(ct);
        var fromTwo = await two.NextAsync(ct);
        await cts.CancelAsync();
        await Task.WhenAll(calls);

        Assert.Same(fromOne, fromTwo);
        Assert.Same(shared, fromOne.Event);
    }

    [Fact]
    public async Task Subscribe_AfterSequence_StartsRightAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        _desk.Backlog.AddRange([Event(1, "a", HazardStatus.Open), Event(2, "a", HazardStatus.Open), Event(3, "a", HazardStatus.Open)]);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = new TestServerStreamWriter<SubscribeResponse>();

        var call = new HazardGrpcService(_desk).Subscribe(new SubscribeRequest { AfterSequence = 2 }, writer, new TestServerCallContext(cts.Token));
        var first = await writer.NextAsync(ct);
        await cts.CancelAsync();
        await call;

        Assert.Equal(3UL, first.Event.Sequence);
        Assert.Empty(writer.Drain());
    }

    [Fact]
    public async Task Subscribe_ResumePointPruned_IsOutOfRange()
    {
        var ct = TestContext.Current.CancellationToken;
        _desk.Throw = new ResumeTooOldException(5, 200);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new HazardGrpcService(_desk).Subscribe(new SubscribeRequest { AfterSequence = 5 }, new TestServerStreamWriter<SubscribeResponse>(), new TestServerCallContext(ct)));

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        Assert.Equal("Cannot resume after sequence 5: the oldest retained event is 200. Re-read the current state, then subscribe again.", ex.Status.Detail);
    }

    [Fact]
    public async Task Subscribe_LiveBufferOverflows_IsResourceExhaustedNamingLastSequence()
    {
        var ct = TestContext.Current.CancellationToken;
        _desk.Backlog.AddRange([Event(1, "a", HazardStatus.Open), Event(2, "a", HazardStatus.Open)]);
        _desk.Live.Writer.TryComplete(new SlowSubscriberException());
        var writer = new TestServerStreamWriter<SubscribeResponse>();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new HazardGrpcService(_desk).Subscribe(new SubscribeRequest(), writer, new TestServerCallContext(ct)));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("The subscriber fell too far behind. Resume with after_sequence = 2; nothing is lost.", ex.Status.Detail);
        Assert.Equal(2, writer.Drain().Count);
    }

    [Fact]
    public async Task Subscribe_UnknownStatus_IsInvalidArgumentWithFieldViolation()
    {
        var ct = TestContext.Current.CancellationToken;

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).Subscribe(
            new SubscribeRequest { Statuses = { (HazardStatus)99 } }, new TestServerStreamWriter<SubscribeResponse>(), new TestServerCallContext(ct)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["statuses"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task AcknowledgeHazard_OperatorGiven_ActorIsOperatorWithKeyName()
    {
        var context = new TestServerCallContext(TestContext.Current.CancellationToken);
        new HazardPrincipal("desk-1", HazardRole.Officer).AttachTo(context);

        var reply = await new HazardGrpcService(_desk).AcknowledgeHazard(
            new AcknowledgeHazardRequest { RecordId = "YH-1", RequestId = "r-1", Operator = "Wang Wei", Note = "on my way" }, context);

        var (recordId, command, requestId) = Assert.Single(_desk.Commands);
        Assert.Equal(("YH-1", "r-1"), (recordId, requestId));
        Assert.Equal(new HazardCommand(Core.Hazards.HazardAction.Acknowledge, "Wang Wei (desk-1)", "on my way"), command);
        Assert.Equal(42UL, reply.Sequence);
    }

    [Fact]
    public async Task AcknowledgeHazard_IllegalTransition_IsFailedPreconditionNamingCurrentState()
    {
        _desk.Throw = new HazardTransitionException("YH-1", Core.Hazards.HazardStatus.Closed, Core.Hazards.HazardAction.Acknowledge, "Allowed from: Open.");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).AcknowledgeHazard(
            new AcknowledgeHazardRequest { RecordId = "YH-1", RequestId = "r-1" }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("Hazard YH-1 is Closed: cannot Acknowledge. Allowed from: Open.", ex.Status.Detail);
    }

    [Fact]
    public async Task CloseHazard_UnknownRecord_IsNotFound()
    {
        _desk.Throw = new HazardNotFoundException("No hazard record YH-9.");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).CloseHazard(
            new CloseHazardRequest { RecordId = "YH-9", RequestId = "r-1" }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task VerifyHazard_RequestIdReused_IsAlreadyExists()
    {
        _desk.Throw = new RequestIdConflictException("used");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).VerifyHazard(
            new VerifyHazardRequest { RecordId = "YH-1", RequestId = "r-1", Passed = true }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
    }

    [Fact]
    public async Task GradeHazard_MajorWithoutPlan_IsInvalidArgumentWithEveryMissingPlanField()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).GradeHazard(
            new GradeHazardRequest { RecordId = "YH-1", RequestId = "r-1", Grade = V1.HazardGrade.Major },
            new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["plan.measures", "plan.funds", "plan.responsible_person", "plan.deadline", "plan.interim_measures"],
            BadRequestOf(ex).FieldViolations.Select(v => v.Field));
        Assert.Empty(_desk.Commands);
    }

    [Fact]
    public async Task GradeHazard_MajorWithPlan_PassesPlanToDesk()
    {
        var deadline = new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero);
        var plan = new V1.RectificationPlan
        {
            Measures = "replace seal", Funds = "CNY 20,000", ResponsiblePerson = "Li Na", Deadline = Timestamp.FromDateTimeOffset(deadline), InterimMeasures = "stop pump 3",
        };

        await new HazardGrpcService(_desk).GradeHazard(new GradeHazardRequest { RecordId = "YH-1", RequestId = "r-2", Grade = V1.HazardGrade.Major, Plan = plan },
            new TestServerCallContext(TestContext.Current.CancellationToken));

        var command = Assert.Single(_desk.Commands).Command;
        Assert.Equal(Core.Hazards.HazardGrade.Major, command.Grade);
        Assert.Equal(new Core.Hazards.RectificationPlan("replace seal", "CNY 20,000", "Li Na", deadline, "stop pump 3"), command.Plan);
    }

    [Fact]
    public async Task WithdrawHazard_NoReasonNoApproverNoRequestId_IsInvalidArgumentNamingEachField()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).WithdrawHazard(
            new WithdrawHazardRequest { RecordId = "YH-1" }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["request_id", "reason", "approver"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
        Assert.Equal("request_id is required. reason is required. approver is required.", ex.Status.Detail);
    }

    [Fact]
    public async Task ShelveAlarm_ZeroDuration_IsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).ShelveAlarm(
            new ShelveAlarmRequest { RecordId = "YH-1", RequestId = "r" }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(["duration"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task ListHazards_TwoPages_SecondPageStartsAfterFirstAndEndsTheList()
    {
        _desk.Records.AddRange(new[] { "YH-1", "YH-2", "YH-3" }.Select(id => new V1.HazardRecord { Id = id }));
        var service = new HazardGrpcService(_desk);
        var context = new TestServerCallContext(TestContext.Current.CancellationToken);

        var first = await service.ListHazards(new ListHazardsRequest { PageSize = 2 }, context);
        var second = await service.ListHazards(new ListHazardsRequest { PageSize = 2, PageToken = first.NextPageToken }, context);

        Assert.Equal(["YH-1", "YH-2"], first.Records.Select(r => r.Id));
        Assert.Equal(["YH-3"], second.Records.Select(r => r.Id));
        Assert.Equal("", second.NextPageToken);
    }

    [Theory]
    [InlineData(-1, "", "page_size")]
    [InlineData(501, "", "page_size")]
    [InlineData(10, "not-a-token", "page_token")]
    public async Task ListHazards_BadPaging_IsInvalidArgumentNamingField(int pageSize, string token, string field)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).ListHazards(
            new ListHazardsRequest { PageSize = pageSize, PageToken = token }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal([field], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task GetHazard_UnknownId_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new HazardGrpcService(_desk).GetHazard(
            new GetHazardRequest { RecordId = "YH-404" }, new TestServerCallContext(TestContext.Current.CancellationToken)));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("No hazard record YH-404.", ex.Status.Detail);
    }

    private static BadRequest BadRequestOf(RpcException ex)
    {
        var bytes = ex.Trailers.GetValueBytes(GrpcValidation.StatusDetailsTrailer) ?? throw new InvalidOperationException("no status details");
        var status = Rpc.Status.Parser.ParseFrom(bytes);
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        return Assert.Single(status.Details).Unpack<BadRequest>();
    }
}
