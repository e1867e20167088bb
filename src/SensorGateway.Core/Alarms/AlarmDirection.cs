namespace SensorGateway.Core.Alarms;

/// <summary>Which side of the set-point is dangerous.</summary>
public enum AlarmDirection
{
    /// <summary>Alarm when the value rises to or above the set-point (gas, H, HH).</summary>
    High = 0,

    /// <summary>Alarm when the value falls to or below the set-point (oxygen deficiency, L, LL).</summary>
    Low = 1,
}
