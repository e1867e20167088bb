namespace SensorGateway.Profiles.Registers;

/// <summary>How a channel's raw value is laid out in the device's table.</summary>
public enum RawType
{
    Bool = 0,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,

    /// <summary>One bit of a 16-bit register (bit 0 = least significant).</summary>
    Bit,

    /// <summary>ASCII, two characters per register, high byte first.</summary>
    String,
}
