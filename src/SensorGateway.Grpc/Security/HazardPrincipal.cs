using Grpc.Core;

namespace SensorGateway.Grpc.Security;

/// <summary>The caller of a hazard-service call, as the API key interceptor found it.</summary>
/// <param name="Name">The key's name, or <c>anonymous</c>.</param>
/// <param name="Role">The key's role.</param>
public sealed record HazardPrincipal(string Name, HazardRole Role)
{
    private const string UserStateKey = "sensorgateway.principal";

    public static HazardPrincipal Anonymous { get; } = new("anonymous", HazardRole.Admin);

    public void AttachTo(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UserState[UserStateKey] = this;
    }

    /// <summary>The principal attached to the call; anonymous when none (the service is then hosted without the interceptor, e.g. in unit tests).</summary>
    public static HazardPrincipal Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(UserStateKey, out var value) && value is HazardPrincipal principal ? principal : Anonymous;
    }
}
