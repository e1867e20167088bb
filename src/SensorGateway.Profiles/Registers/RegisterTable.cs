namespace SensorGateway.Profiles.Registers;

/// <summary>The four Modbus data tables.</summary>
public enum RegisterTable
{
    /// <summary>Read/write bits (function 01).</summary>
    Coil = 0,

    /// <summary>Read-only bits (function 02).</summary>
    Discrete,

    /// <summary>Read/write 16-bit registers (function 03).</summary>
    Holding,

    /// <summary>Read-only 16-bit registers (function 04).</summary>
    Input,
}
