using Grpc.Core;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Services;

/// <summary>The gRPC face of the hazard event log; thin over <see cref="HazardEventLog"/>.</summary>
public sealed class HazardGrpcService(HazardEventLog log) : HazardService.HazardServiceBase
{
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (!Enum.IsDefined(request.MinLevel))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"min_level {(int)request.MinLevel} is not a known AlarmLevel."));
        }

        HazardEventSubscription subscription;
        try
        {
            subscription = log.Subscribe(request.AfterSequence);
        }
        catch (ResumeTooOldException ex)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, ex.Message));
        }

        using (subscription)
        {
            var last = request.AfterSequence;
            try
            {
                foreach (var logged in subscription.Backlog)
                {
                    last = await SendAsync(logged, request, responseStream, context.CancellationToken).ConfigureAwait(false);
                }

                await foreach (var logged in subscription.Live.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
                {
                    last = await SendAsync(logged, request, responseStream, context.CancellationToken).ConfigureAwait(false);
                }
            }
            catch (SlowSubscriberException)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"The subscriber fell too far behind. Resume with after_sequence = {last}; nothing is lost."));
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The client left; its next Subscribe resumes from its own last sequence.
            }
        }
    }

    private static async Task<ulong> SendAsync(LoggedAlarmEvent logged, SubscribeRequest request, IServerStreamWriter<SubscribeResponse> stream, CancellationToken cancellationToken)
    {
        var alarm = logged.Alarm;
        var wanted = (request.Site.Length == 0 || string.Equals(request.Site, alarm.Channel.Site, StringComparison.Ordinal)) &&
                     HazardEventMapper.ToContract(alarm.Level) >= request.MinLevel;
        if (wanted)
        {
            await stream.WriteAsync(new SubscribeResponse { Event = HazardEventMapper.ToContract(logged) }, cancellationToken).ConfigureAwait(false);
        }

        return logged.Sequence;
    }
}
