using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Services;
using SensorGateway.Grpc.Tests.Infrastructure;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Tests;

/// <summary>The service's own binding: every generated method as generated, Subscribe with the shared-bytes marshaller.</summary>
public sealed class HazardServiceBinderTests
{
    [Fact]
    public void BindService_EveryGeneratedMethod_SameNamesKindsAndMarshallersExceptSubscribeResponses()
    {
        var generated = new RecordingBinder();
        HazardService.BindService(generated, null);
        var ours = new RecordingBinder();

        HazardGrpcService.BindService(ours, null);

        Assert.Equal(12, generated.Methods.Count);
        Assert.Equal(generated.Methods.Select(m => (m.FullName, m.Type, m.Request)), ours.Methods.Select(m => (m.FullName, m.Type, m.Request)));
        var changed = generated.Methods.Zip(ours.Methods).Where(p => p.First.Response != p.Second.Response).Select(p => p.Second).ToList();
        var subscribe = Assert.Single(changed);
        Assert.Equal(("/sensorgateway.v1.HazardService/Subscribe", MethodType.ServerStreaming), (subscribe.FullName, subscribe.Type));
        Assert.Same(SubscribeResponseMarshaller.Instance, subscribe.Response);
    }

    [Fact]
    public void BindServiceMethodAttribute_LookedUpAsGrpcAspNetCoreDoes_FindsOurBinderWithTheGeneratedBaseAsServiceType()
    {
        // Grpc.AspNetCore asks the attribute's type for BindService(ServiceBinderBase, <type carrying the attribute>)
        // and then looks the handlers up as overrides of the method's second parameter type.
        var attribute = typeof(HazardGrpcService).GetCustomAttribute<BindServiceMethodAttribute>();

        var bind = attribute!.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, null,
            [typeof(ServiceBinderBase), typeof(HazardGrpcService)], null);

        Assert.Equal(typeof(HazardService.HazardServiceBase), bind!.GetParameters()[1].ParameterType);
    }

    [Fact]
    public async Task MapGrpcService_HazardService_EndpointsAsGeneratedWithSubscribeOnTheSharedBytesMarshaller()
    {
        // What Grpc.AspNetCore itself binds: had it fallen back to the generated BindService, Subscribe would carry the generated marshaller.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IHazardDesk, FakeHazardDesk>();
        await using var app = builder.Build();

        app.MapGrpcService<HazardGrpcService>();
        var methods = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method).OfType<IMethod>()
            .Where(m => m.ServiceName == "sensorgateway.v1.HazardService").ToList();

        Assert.Equal(12, methods.Count);
        var subscribe = Assert.IsType<Method<SubscribeRequest, SubscribeResponse>>(methods.Single(m => m.Name == "Subscribe"));
        Assert.Same(SubscribeResponseMarshaller.Instance, subscribe.ResponseMarshaller);
    }

    private sealed record Bound(string FullName, MethodType Type, object Request, object Response);

    private sealed class RecordingBinder : ServiceBinderBase
    {
        public List<Bound> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) => Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) => Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) => Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => Add(method);

        private void Add<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            Methods.Add(new Bound(method.FullName, method.Type, method.RequestMarshaller, method.ResponseMarshaller));
    }
}
