using System.Text;
using Grpc.Core;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.V1;
using HazardAction = SensorGateway.Core.Hazards.HazardAction;
using HazardGrade = SensorGateway.Grpc.V1.HazardGrade;
using HazardStatus = SensorGateway.Grpc.V1.HazardStatus;

namespace SensorGateway.Grpc.Services;

/// <summary>
/// The gRPC face of the hazard desk: checks the arguments, calls <see cref="IHazardDesk"/>, and maps its outcomes
/// and exceptions to the contract. Authentication and roles are the <see cref="ApiKeyInterceptor"/>'s job.
/// </summary>
[BindServiceMethod(typeof(HazardGrpcService), nameof(BindService))]
public sealed class HazardGrpcService(IHazardDesk desk) : HazardService.HazardServiceBase
{
    private const int MaxId = 128;
    private const int MaxText = 2000;
    private const int MaxPageSize = 500;
    private const int DefaultPageSize = 50;

    /// <summary>Writes buffered before a flush at most: bounds what a long backlog page holds back from the client.</summary>
    internal const int MaxUnflushedWrites = 64;

    // Grpc.AspNetCore writes a message with BufferHint to the response without flushing it.
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    /// <summary>
    /// Found by Grpc.AspNetCore through <see cref="BindServiceMethodAttribute"/> in place of the generated
    /// <c>HazardService.BindService</c>: the same methods, with Subscribe's responses encoded once per event for all
    /// streams (<see cref="HazardServiceBinder"/>).
    /// </summary>
    /// <remarks>The second parameter is the generated base type: Grpc.AspNetCore looks the handlers up as its overrides.</remarks>
    public static void BindService(ServiceBinderBase serviceBinder, HazardService.HazardServiceBase? service) =>
        HazardService.BindService(new HazardServiceBinder(serviceBinder), service);

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        new GrpcValidation()
            .Require(Enum.IsDefined(request.MinLevel), "min_level", $"min_level {(int)request.MinLevel} is not a known AlarmLevel.")
            .Require(request.Statuses.All(s => Enum.IsDefined(s) && s != HazardStatus.Unspecified), "statuses", "statuses holds a value that is not a known HazardStatus.")
            .ThrowIfInvalid();
        var filter = HazardEventFilter.From(request);

        HazardEventSubscription subscription;
        try
        {
            subscription = desk.Subscribe(request.AfterSequence);
        }
        catch (ResumeTooOldException ex)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, ex.Message));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange,
                $"after_sequence {request.AfterSequence} is beyond the newest event {desk.LastSequence}: this gateway never issued it. Re-read the current state, then subscribe again. ({ex.ParamName})"));
        }

        using (subscription)
        {
            var last = request.AfterSequence;
            try
            {
                await foreach (var run in subscription.ReadRunsAsync(context.CancellationToken).ConfigureAwait(false))
                {
                    last = await WriteRunAsync(run, filter, responseStream, context.CancellationToken).ConfigureAwait(false);
                }
            }
            catch (SlowSubscriberException)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"The subscriber fell too far behind. Resume with after_sequence = {last}; nothing is lost."));
            }
            catch (ResumeTooOldException ex)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange, ex.Message));
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The client left; its next Subscribe resumes from its own last sequence.
            }
        }
    }

    /// <summary>
    /// Writes the matching events of a run and flushes once, after the last of them (or after every
    /// <see cref="MaxUnflushedWrites"/>): an alarm and the record it opens, or a resumed backlog page, reach the client
    /// in one HTTP/2 frame instead of one flush and socket write each. Returns the sequence of the run's last event.
    /// </summary>
    private static async Task<ulong> WriteRunAsync(IReadOnlyList<HazardEvent> run, HazardEventFilter filter,
        IServerStreamWriter<SubscribeResponse> responseStream, CancellationToken cancellationToken)
    {
        // The last write must flush, so find the last event this subscriber gets before writing any.
        var lastMatch = run.Count - 1;
        while (lastMatch >= 0 && !filter.Matches(run[lastMatch]))
        {
            lastMatch--;
        }

        var unflushed = 0;
        for (var i = 0; i <= lastMatch; i++)
        {
            if (i < lastMatch && !filter.Matches(run[i]))
            {
                continue;
            }

            var flush = i == lastMatch || unflushed + 1 == MaxUnflushedWrites;
            unflushed = flush ? 0 : unflushed + 1;
            responseStream.WriteOptions = flush ? null : s_buffered;
            await responseStream.WriteAsync(run[i].ToSubscribeResponse(), cancellationToken).ConfigureAwait(false);
        }

        return run[^1].Sequence;
    }

    public override Task<ListHazardsResponse> ListHazards(ListHazardsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var afterId = DecodePageToken(request.PageToken);
        new GrpcValidation()
            .Require(request.PageSize is >= 0 and <= MaxPageSize, "page_size", $"page_size must be between 0 and {MaxPageSize}.")
            .Require(afterId is not null, "page_token", "page_token is not a token this service issued; start again with an empty one.")
            .Require(Enum.IsDefined(request.MinLevel), "min_level", $"min_level {(int)request.MinLevel} is not a known AlarmLevel.")
            .Require(request.Statuses.All(s => Enum.IsDefined(s) && s != HazardStatus.Unspecified), "statuses", "statuses holds a value that is not a known HazardStatus.")
            .ThrowIfInvalid();
        var page = desk.List(new HazardQuery(request.Site, request.Sector, request.MinLevel, request.Statuses.ToHashSet(), afterId!,
            request.PageSize == 0 ? DefaultPageSize : request.PageSize));
        var response = new ListHazardsResponse
        {
            NextPageToken = page.NextAfterId is null ? "" : EncodePageToken(page.NextAfterId),
            LastSequence = page.LastSequence,
        };
        response.Records.AddRange(page.Records);
        return Task.FromResult(response);
    }

    public override Task<GetHazardResponse> GetHazard(GetHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        new GrpcValidation().RequireText(request.RecordId, MaxId, "record_id").ThrowIfInvalid();
        var record = desk.Get(request.RecordId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"No hazard record {request.RecordId}."));
        return Task.FromResult(new GetHazardResponse { Record = record, LastSequence = desk.LastSequence });
    }

    public override async Task<AcknowledgeHazardResponse> AcknowledgeHazard(AcknowledgeHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context, null,
            actor => new HazardCommand(HazardAction.Acknowledge, actor, request.Note));
        return new AcknowledgeHazardResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<GradeHazardResponse> GradeHazard(GradeHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context,
            v =>
            {
                v.Require(request.Grade is HazardGrade.General or HazardGrade.Major, "grade", "grade must be HAZARD_GRADE_GENERAL (一般) or HAZARD_GRADE_MAJOR (重大).");
                if (request.Grade == HazardGrade.Major)
                {
                    var plan = request.Plan ?? new V1.RectificationPlan();
                    v.Require(plan.Measures.Length > 0, "plan.measures", "A major (重大) hazard needs the plan's measures (措施).")
                        .Require(plan.Funds.Length > 0, "plan.funds", "A major (重大) hazard needs the plan's funds (资金).")
                        .Require(plan.ResponsiblePerson.Length > 0, "plan.responsible_person", "A major (重大) hazard needs the plan's responsible person (责任人).")
                        .Require(plan.Deadline is not null, "plan.deadline", "A major (重大) hazard needs the plan's deadline (期限).")
                        .Require(plan.InterimMeasures.Length > 0, "plan.interim_measures", "A major (重大) hazard needs the plan's interim measures (临时措施).");
                }
                else if (request.Plan is { } plan)
                {
                    v.Require(plan.Deadline is not null, "plan.deadline", "A plan needs its deadline (期限).");
                }
            },
            actor => new HazardCommand(HazardAction.Grade, actor, request.Note, HazardMapper.ToDomain(request.Grade),
                request.Plan is null ? null : HazardMapper.ToDomain(request.Plan)));
        return new GradeHazardResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<StartRectificationResponse> StartRectification(StartRectificationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context, null,
            actor => new HazardCommand(HazardAction.StartRectification, actor, request.Note));
        return new StartRectificationResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<SubmitForVerificationResponse> SubmitForVerification(SubmitForVerificationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context, null,
            actor => new HazardCommand(HazardAction.SubmitForVerification, actor, request.Note));
        return new SubmitForVerificationResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<VerifyHazardResponse> VerifyHazard(VerifyHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context, null,
            actor => new HazardCommand(request.Passed ? HazardAction.VerifyPass : HazardAction.VerifyFail, actor, request.Note));
        return new VerifyHazardResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<CloseHazardResponse> CloseHazard(CloseHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context, null,
            actor => new HazardCommand(HazardAction.Close, actor, request.Note));
        return new CloseHazardResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<WithdrawHazardResponse> WithdrawHazard(WithdrawHazardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await CommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, context,
            v => v.RequireText(request.Reason, MaxText, "reason").RequireText(request.Approver, MaxId, "approver"),
            actor => new HazardCommand(HazardAction.Withdraw, actor, request.Note, Reason: request.Reason, Approver: request.Approver));
        return new WithdrawHazardResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<ShelveAlarmResponse> ShelveAlarm(ShelveAlarmRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var duration = request.Duration?.ToTimeSpan() ?? TimeSpan.Zero;
        var outcome = await AlarmCommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, duration, context,
            v => v.Require(duration > TimeSpan.Zero, "duration", "duration must be above zero."));
        return new ShelveAlarmResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    public override async Task<UnshelveAlarmResponse> UnshelveAlarm(UnshelveAlarmRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await AlarmCommandAsync(request.RecordId, request.RequestId, request.Operator, request.Note, null, context, null);
        return new UnshelveAlarmResponse { Record = outcome.Record, Sequence = outcome.Sequence };
    }

    private Task<HazardCommandOutcome> CommandAsync(string recordId, string requestId, string @operator, string note, ServerCallContext context,
        Action<GrpcValidation>? validate, Func<string, HazardCommand> build)
    {
        var validation = ValidateCommon(recordId, requestId, @operator, note);
        validate?.Invoke(validation);
        validation.ThrowIfInvalid();
        var actor = ActorOf(@operator, context);
        return MapAsync(() => desk.ExecuteAsync(recordId, build(actor), requestId, context.CancellationToken));
    }

    private Task<HazardCommandOutcome> AlarmCommandAsync(string recordId, string requestId, string @operator, string note, TimeSpan? shelveFor,
        ServerCallContext context, Action<GrpcValidation>? validate)
    {
        var validation = ValidateCommon(recordId, requestId, @operator, note);
        validate?.Invoke(validation);
        validation.ThrowIfInvalid();
        var actor = ActorOf(@operator, context);
        return MapAsync(() => desk.ShelveAlarmAsync(recordId, shelveFor, actor, note, requestId, context.CancellationToken));
    }

    private static GrpcValidation ValidateCommon(string recordId, string requestId, string @operator, string note) =>
        new GrpcValidation()
            .RequireText(recordId, MaxId, "record_id")
            .RequireText(requestId, MaxId, "request_id")
            .Limit(@operator, MaxId, "operator")
            .Limit(note, MaxText, "note");

    private static string ActorOf(string @operator, ServerCallContext context)
    {
        var principal = HazardPrincipal.Of(context);
        return @operator.Length == 0 ? principal.Name : $"{@operator} ({principal.Name})";
    }

    // The one place where the desk's exceptions become status codes.
    private static async Task<HazardCommandOutcome> MapAsync(Func<Task<HazardCommandOutcome>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (HazardNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (HazardTransitionException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (AlarmCommandRejectedException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (RequestIdConflictException ex)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

    internal static string EncodePageToken(string afterId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:" + afterId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string? DecodePageToken(string token)
    {
        if (token.Length == 0)
        {
            return "";
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var written))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, written);
        return text.StartsWith("v1:", StringComparison.Ordinal) ? text[3..] : null;
    }
}
