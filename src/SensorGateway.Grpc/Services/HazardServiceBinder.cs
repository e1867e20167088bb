using Grpc.Core;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Services;

/// <summary>
/// Binds the generated hazard service methods as generated, except that Subscribe's responses go through
/// <see cref="SubscribeResponseMarshaller"/>. Same names, types and wire format: clients, reflection and the
/// interceptors see no difference.
/// </summary>
internal sealed class HazardServiceBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method is Method<SubscribeRequest, SubscribeResponse> subscribe)
        {
            var shared = new Method<SubscribeRequest, SubscribeResponse>(subscribe.Type, subscribe.ServiceName, subscribe.Name,
                subscribe.RequestMarshaller, SubscribeResponseMarshaller.Instance);
            inner.AddMethod((Method<TRequest, TResponse>)(object)shared, handler);
            return;
        }

        inner.AddMethod(method, handler);
    }
}
