namespace SensorGateway.Core.Hazards;

/// <summary>
/// The closed loop of a hidden-hazard record: 登记 → 签收 → 定级 → 整改 → 申请验收 → 验收 → 销号.
/// <see cref="Withdrawn"/> (误报撤销) ends a record without closing it; records are never deleted.
/// </summary>
public enum HazardStatus
{
    Open = 0,
    Acknowledged,
    Graded,
    Rectifying,
    AwaitingVerification,
    Verified,
    Closed,
    Withdrawn,
}
