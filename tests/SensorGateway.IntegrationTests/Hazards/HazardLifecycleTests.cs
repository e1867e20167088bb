using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SensorGateway.Grpc.V1;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>The closed loop over real gRPC: every step, illegal steps and idempotent retries.</summary>
public sealed class HazardLifecycleTests
{
    [Fact]
    public async Task Commands_FullMajorLoopWithFailedVerification_ClosesRecordWithEveryStepInHistory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var id = await gateway.OpenRecordAsync("lel", ct);
        var plan = new RectificationPlan
        {
            Measures = "replace flange gasket", Funds = "CNY 8,000", ResponsiblePerson = "Li Na",
            Deadline = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero)), InterimMeasures = "isolate pump 3",
        };

        await client.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = "1", Operator = "Wang Wei" }, cancellationToken: ct);
        await client.GradeHazardAsync(new() { RecordId = id, RequestId = "2", Grade = HazardGrade.Major, Plan = plan }, cancellationToken: ct);
        await client.StartRectificationAsync(new() { RecordId = id, RequestId = "3" }, cancellationToken: ct);
        await client.SubmitForVerificationAsync(new() { RecordId = id, RequestId = "4" }, cancellationToken: ct);
        await client.VerifyHazardAsync(new() { RecordId = id, RequestId = "5", Passed = false, Note = "still leaking" }, cancellationToken: ct);
        await client.SubmitForVerificationAsync(new() { RecordId = id, RequestId = "6" }, cancellationToken: ct);
        await client.VerifyHazardAsync(new() { RecordId = id, RequestId = "7", Passed = true }, cancellationToken: ct);
        var closed = await client.CloseHazardAsync(new() { RecordId = id, RequestId = "8", Note = "销号" }, cancellationToken: ct);

        Assert.Equal(HazardStatus.Closed, closed.Record.Status);
        Assert.Equal(HazardGrade.Major, closed.Record.Grade);
        Assert.Equal(plan, closed.Record.Plan);
        Assert.Equal(
            [HazardAction.Open, HazardAction.Acknowledge, HazardAction.Grade, HazardAction.StartRectification, HazardAction.SubmitForVerification,
             HazardAction.VerifyFail, HazardAction.SubmitForVerification, HazardAction.VerifyPass, HazardAction.Close],
            closed.Record.History.Select(h => h.Action));
        Assert.Equal("Wang Wei (anonymous)", closed.Record.History[1].Actor);
        Assert.Equal(10UL, closed.Sequence);
    }

    [Fact]
    public async Task CloseHazard_OpenRecord_IsFailedPreconditionNamingOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var id = await gateway.OpenRecordAsync("lel", ct);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.CloseHazardAsync(new() { RecordId = id, RequestId = "c" }, cancellationToken: ct));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal($"Hazard {id} is Open: cannot Close. Allowed from: Verified.", ex.Status.Detail);
    }

    [Fact]
    public async Task StartRectification_BeforeGrading_IsFailedPreconditionNamingAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var id = await gateway.OpenRecordAsync("lel", ct);
        await client.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = "a" }, cancellationToken: ct);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.StartRectificationAsync(new() { RecordId = id, RequestId = "s" }, cancellationToken: ct));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal($"Hazard {id} is Acknowledged: cannot StartRectification. Allowed from: Graded.", ex.Status.Detail);
    }

    [Fact]
    public async Task AcknowledgeHazard_RetriedWithSameRequestId_ReturnsSameSequenceAndLogsOneEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var id = await gateway.OpenRecordAsync("lel", ct);

        var first = await client.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = "same" }, cancellationToken: ct);
        var retry = await client.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = "same" }, cancellationToken: ct);

        Assert.Equal(first, retry);
        Assert.Equal(3UL, gateway.Desk.LastSequence);
    }

    [Fact]
    public async Task WithdrawHazard_WithReasonAndApprover_EndsRecordAndListFiltersByStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var withdrawn = await gateway.OpenRecordAsync("lel", ct);
        var open = await gateway.OpenRecordAsync("h2s", ct);

        await client.WithdrawHazardAsync(new() { RecordId = withdrawn, RequestId = "w", Reason = "calibration gas", Approver = "Zhao Lei" }, cancellationToken: ct);
        var openOnly = await client.ListHazardsAsync(new() { Statuses = { HazardStatus.Open } }, cancellationToken: ct);
        var got = await client.GetHazardAsync(new() { RecordId = withdrawn }, cancellationToken: ct);

        Assert.Equal([open], openOnly.Records.Select(r => r.Id));
        Assert.Equal((HazardStatus.Withdrawn, "calibration gas", "Zhao Lei"), (got.Record.Status, got.Record.WithdrawReason, got.Record.WithdrawApprover));
    }
}
