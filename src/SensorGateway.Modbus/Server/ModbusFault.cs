namespace SensorGateway.Modbus.Server;

/// <summary>One fault the slave injects into a response.</summary>
public sealed class ModbusFault
{
    public static readonly ModbusFault Drop = new() { Kind = ModbusFaultKind.DropResponse };
    public static readonly ModbusFault CorruptCrc = new() { Kind = ModbusFaultKind.CorruptCrc };
    public static readonly ModbusFault Truncate = new() { Kind = ModbusFaultKind.TruncateFrame };
    public static readonly ModbusFault WrongTransactionId = new() { Kind = ModbusFaultKind.WrongTransactionId };
    public static readonly ModbusFault WrongUnitId = new() { Kind = ModbusFaultKind.WrongUnitId };

    public ModbusFaultKind Kind { get; init; }

    public ModbusExceptionCode ExceptionCode { get; init; }

    public TimeSpan Delay { get; init; }

    public static ModbusFault Exception(ModbusExceptionCode code) => new() { Kind = ModbusFaultKind.ExceptionResponse, ExceptionCode = code };

    public static ModbusFault Delayed(TimeSpan delay) => new() { Kind = ModbusFaultKind.Delay, Delay = delay };

    public override string ToString() => Kind switch
    {
        ModbusFaultKind.ExceptionResponse => $"{Kind}({ExceptionCode})",
        ModbusFaultKind.Delay => $"{Kind}({Delay.TotalMilliseconds} ms)",
        _ => Kind.ToString(),
    };
}
