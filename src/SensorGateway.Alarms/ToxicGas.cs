namespace SensorGateway.Alarms;

/// <summary>One row of the toxic-gas OEL table.</summary>
/// <param name="Quantity">Quantity name, e.g. <c>gas.h2s</c>.</param>
/// <param name="Formula">Chemical formula for messages.</param>
/// <param name="OelMgPerM3">The OEL used as level 1, mg/m3.</param>
/// <param name="MolarMass">g/mol, for the ppm variant.</param>
/// <param name="IdlhMgPerM3">IDLH, mg/m3, for the 5 % / 10 % IDLH fallback.</param>
public sealed record ToxicGas(string Quantity, string Formula, double OelMgPerM3, double MolarMass, double IdlhMgPerM3);
