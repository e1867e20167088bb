using SensorGateway.Alarms.Internal;
using SensorGateway.Core.Alarms;

namespace SensorGateway.Alarms;

/// <summary>
/// Default rules by quantity (and, where set-points depend on it, by unit): the sector rule packs.
/// Immutable; <see cref="With"/> returns a new set, so a site can replace one quantity's default.
/// </summary>
public sealed class RulePacks
{
    private readonly Dictionary<string, AlarmRuleDefinition[]> _byQuantity;

    private RulePacks(Dictionary<string, AlarmRuleDefinition[]> byQuantity) => _byQuantity = byQuantity;

    /// <summary>No defaults: every channel needs its own definition (channels without one get quality rules only).</summary>
    public static RulePacks Empty { get; } = new(new Dictionary<string, AlarmRuleDefinition[]>(StringComparer.Ordinal));

    /// <summary>
    /// The sector packs of <see cref="SectorRulePacks"/>: combustible gas, toxic gas, oxygen, fuel-station tanks,
    /// chemical tanks and city gas, each default citing its clause or marked "not confirmed, configurable".
    /// </summary>
    public static RulePacks Default { get; } = SectorRulePacks.Build(Empty);

    /// <summary>The quantities that have a default.</summary>
    public IReadOnlyCollection<string> Quantities => _byQuantity.Keys;

    /// <summary>
    /// Adds (or, for the same quantity and unit, replaces) a default. Definitions with a <see cref="AlarmRuleDefinition.Unit"/>
    /// are kept side by side, one per unit.
    /// </summary>
    public RulePacks With(string quantity, AlarmRuleDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(quantity);
        ArgumentNullException.ThrowIfNull(definition);
        var copy = new Dictionary<string, AlarmRuleDefinition[]>(_byQuantity, StringComparer.Ordinal);
        var variants = copy.GetValueOrDefault(quantity) ?? [];
        copy[quantity] = [.. variants.Where(v => !Units.Same(v.Unit, definition.Unit)), definition];
        return new RulePacks(copy);
    }

    /// <summary>
    /// The default for a quantity in a unit: the variant written in that unit, else one that accepts any unit,
    /// else the first (whose unit then mismatches, and the engine raises a fault rather than compare). Null when
    /// the quantity has no default.
    /// </summary>
    public AlarmRuleDefinition? Find(string quantity, string? unit)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        if (!_byQuantity.TryGetValue(quantity, out var variants) || variants.Length == 0)
        {
            return null;
        }

        if (unit is not null)
        {
            foreach (var variant in variants)
            {
                if (variant.Unit is not null && Units.Same(variant.Unit, unit))
                {
                    return variant;
                }
            }
        }

        return Array.Find(variants, v => v.Unit is null) ?? variants[0];
    }

    /// <summary>All unit variants of a quantity's default.</summary>
    public IReadOnlyList<AlarmRuleDefinition> Variants(string quantity) =>
        _byQuantity.GetValueOrDefault(quantity) ?? [];
}
