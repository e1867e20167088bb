namespace SensorGateway.Core.Alarms;

/// <summary>
/// How urgent an alarm is, ordered so that a higher value outranks a lower one.
/// Gas detectors use level 1 / level 2 (一级 / 二级报警, GB/T 50493-2019 5.5.2); tank and pressure limits
/// map H and L to level 1 and HH and LL to level 2. A fault (GB 15322.1 yellow state) is below both.
/// </summary>
public enum AlarmLevel
{
    None = 0,
    Fault = 1,
    Level1 = 2,
    Level2 = 3,
}
