namespace SensorGateway.Profiles.Registers;

/// <summary>
/// The register-map helper. Given registers read around the address an integrator believes holds a channel,
/// and the value the channel truly shows now (the display, a calibration gas), it lists every address offset,
/// raw type, byte order and decimal scale that decodes to that value — the word-order and off-by-one
/// confusions that plague every Modbus commissioning. Simplest explanations come first.
/// </summary>
public static class RegisterMapAdvisor
{
    private static readonly RawType[] s_types = [RawType.UInt16, RawType.Int16, RawType.Float32, RawType.UInt32, RawType.Int32, RawType.Float64];
    private static readonly double[] s_scales = [1, 0.1, 0.01, 0.001, 10];

    /// <param name="registers">Registers read from <c>address − window</c> on.</param>
    /// <param name="window">How many registers before (and after) the believed address were read.</param>
    /// <param name="knownValue">The true engineering value.</param>
    /// <param name="tolerance">Relative tolerance; defaults to 0.5 %, enough for a value that moved while reading.</param>
    public static IReadOnlyList<RegisterMapSuggestion> Suggest(ReadOnlySpan<ushort> registers, int window, double knownValue, double tolerance = 0.005)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        var found = new List<(RegisterMapSuggestion Suggestion, int Rank)>();
        var absolute = Math.Max(Math.Abs(knownValue) * tolerance, 1e-9);
        for (var start = 0; start < registers.Length; start++)
        {
            foreach (var type in s_types)
            {
                var layout0 = new RegisterLayout(RegisterTable.Holding, 0, type);
                if (start + layout0.Count > registers.Length)
                {
                    continue;
                }

                // Byte order only matters where there are bytes to order.
                var orders = layout0.Count == 1 ? [ByteOrder.ABCD, ByteOrder.BADC] : Enum.GetValues<ByteOrder>();
                foreach (var order in orders)
                {
                    var raw = RegisterCodec.Decode(registers.Slice(start, layout0.Count), layout0 with { Order = order });
                    if (!double.IsFinite(raw))
                    {
                        continue;
                    }

                    foreach (var scale in type is RawType.Float32 or RawType.Float64 ? [1.0] : s_scales)
                    {
                        var decoded = raw * scale;
                        if (Math.Abs(decoded - knownValue) <= absolute)
                        {
                            var offset = start - window;
                            var rank = (Math.Abs(offset) * 100) + (Array.IndexOf(s_types, type) * 10) + ((int)order * 2) + Array.IndexOf(s_scales, scale);
                            found.Add((new RegisterMapSuggestion(offset, type, order, scale, decoded), rank));
                        }
                    }
                }
            }
        }

        return found.OrderBy(f => f.Rank).Select(f => f.Suggestion).ToList();
    }
}
