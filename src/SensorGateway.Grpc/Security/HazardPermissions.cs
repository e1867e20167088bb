using System.Collections.Frozen;

namespace SensorGateway.Grpc.Security;

/// <summary>The permission matrix: the lowest role that may call each method of <c>sensorgateway.v1.HazardService</c>.</summary>
public static class HazardPermissions
{
    public const string ServicePrefix = "/sensorgateway.v1.HazardService/";

    /// <summary>Method name (without the service prefix) → lowest role allowed.</summary>
    public static FrozenDictionary<string, HazardRole> Matrix { get; } = new Dictionary<string, HazardRole>(StringComparer.Ordinal)
    {
        ["Subscribe"] = HazardRole.Viewer,
        ["ListHazards"] = HazardRole.Viewer,
        ["GetHazard"] = HazardRole.Viewer,
        ["AcknowledgeHazard"] = HazardRole.Officer,
        ["GradeHazard"] = HazardRole.Officer,
        ["StartRectification"] = HazardRole.Officer,
        ["SubmitForVerification"] = HazardRole.Officer,
        ["ShelveAlarm"] = HazardRole.Officer,
        ["UnshelveAlarm"] = HazardRole.Officer,
        ["VerifyHazard"] = HazardRole.Supervisor,
        ["CloseHazard"] = HazardRole.Supervisor,
        ["WithdrawHazard"] = HazardRole.Supervisor,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The lowest role for a full method name such as <c>/sensorgateway.v1.HazardService/CloseHazard</c>; Admin for any method not listed.</summary>
    public static HazardRole Required(string fullMethod)
    {
        ArgumentNullException.ThrowIfNull(fullMethod);
        var name = fullMethod.StartsWith(ServicePrefix, StringComparison.Ordinal) ? fullMethod[ServicePrefix.Length..] : fullMethod;
        return Matrix.TryGetValue(name, out var role) ? role : HazardRole.Admin;
    }
}
