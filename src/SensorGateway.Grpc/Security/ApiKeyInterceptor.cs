using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Grpc.Hazards;

namespace SensorGateway.Grpc.Security;

/// <summary>
/// Checks the <c>x-api-key</c> metadata of every hazard-service call against the hashed keys and the permission
/// matrix: no key or an unknown key → UNAUTHENTICATED, a role below the method's → PERMISSION_DENIED.
/// With no keys configured, only loopback callers get in (as admin), and only if allowed.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<HazardApiOptions> options, ILogger<ApiKeyInterceptor> logger) : Interceptor
{
    private readonly HazardApiOptions _options = options.Value;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var principal = Authenticate(context);
        var required = HazardPermissions.Required(context.Method);
        if (principal.Role < required)
        {
            var reason = $"API key '{principal.Name}' has role {principal.Role}; {context.Method} needs {required} or above.";
            HazardsLog.Refused(logger, context.Method, reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, reason));
        }

        principal.AttachTo(context);
    }

    private HazardPrincipal Authenticate(ServerCallContext context)
    {
        var presented = context.RequestHeaders.GetValue(HazardApiOptions.ApiKeyHeader);
        if (_options.Anonymous)
        {
            var remote = context.GetHttpContext().Connection.RemoteIpAddress;
            if (_options.AllowAnonymousOnLoopback && remote is not null && IPAddress.IsLoopback(remote))
            {
                return HazardPrincipal.Anonymous;
            }

            throw Refuse(context, "No API keys are configured and anonymous access is only for loopback callers; configure HazardApi:Keys.");
        }

        if (string.IsNullOrEmpty(presented))
        {
            throw Refuse(context, $"This call needs an API key in the '{HazardApiOptions.ApiKeyHeader}' metadata entry.");
        }

        foreach (var key in _options.Keys)
        {
            if (ApiKeyHasher.Matches(key.Salt, key.Hash, presented))
            {
                return new HazardPrincipal(key.Name, Enum.Parse<HazardRole>(key.Role, ignoreCase: true));
            }
        }

        throw Refuse(context, "The API key is not known.");
    }

    private RpcException Refuse(ServerCallContext context, string reason)
    {
        HazardsLog.Refused(logger, context.Method, reason);
        return new RpcException(new Status(StatusCode.Unauthenticated, reason));
    }
}
