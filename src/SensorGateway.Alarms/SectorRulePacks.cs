using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>
/// The sector rule packs: default rules per quantity with the clause each default comes from
/// (see shared/domain-brief.md, sections 1, 3, 4, 6 and 7). Marks: [C] wording read in a copy of the clause,
/// [S] secondary source, [NC] not confirmed: a configurable placeholder. GB/T 50493 set-points are upper
/// bounds: a site may set lower, never higher.
/// </summary>
public static class SectorRulePacks
{
    /// <summary>Molar volume used to turn mg/m3 limits into ppm: 24.45 L/mol (25 °C, 101.325 kPa). [NC]: the reference temperature GB/T 50493 / GBZ 2.1 use was not found.</summary>
    public const double MolarVolume = 24.45;

    /// <summary>Fault delays shared by the packs: a single missed poll is not yet a fault. [NC], configurable.</summary>
    public static QualityRuleDefinition DefaultQuality { get; } = new()
    {
        ExpectedInterval = TimeSpan.FromSeconds(10),
        StaleIntervals = 3,
        Faults = [new FaultDelayDefinition(QualityReason.CommFailure, TimeSpan.FromSeconds(10), TimeSpan.Zero)],
    };

    /// <summary>Combustible gas, point detector, %LEL: L1 25, L2 50 rising, latching, no on-delay.</summary>
    public static AlarmRuleDefinition CombustibleGas { get; } = new()
    {
        Id = "gas.combustible.level",
        Unit = "%LEL",
        Latching = true, // issue 5: gas alarms latch by default
        Limits =
        [
            // Set-points [C] GB/T 50493-2019 5.5.2 (upper bounds). Deadband 2 %LEL [NC]. Priority: level 2 before
            // level 1, toxic before combustible at the same level [C for the 2009 edition, §3.0.2].
            Limit("L1", AlarmLevel.Level1, 25, 2, priority: 4),
            Limit("L2", AlarmLevel.Level2, 50, 2, priority: 2),
        ],
        // Range 0–100 %LEL [S]; the −5 margin for zero drift is [NC].
        Quality = DefaultQuality with { ValidMin = -5, ValidMax = 100 },
        Source = "pack:combustible-gas; set-points GB/T 50493-2019 5.5.2 [C]; deadband, delays, range margin [NC] configurable",
    };

    /// <summary>Open-path (线型) combustible detector, LEL·m: L1 1, L2 2.</summary>
    public static AlarmRuleDefinition CombustibleGasOpenPath { get; } = new()
    {
        Id = "gas.combustible.path.level",
        Unit = "LEL·m",
        Latching = true,
        Limits =
        [
            Limit("L1", AlarmLevel.Level1, 1, 0.1, priority: 4),
            Limit("L2", AlarmLevel.Level2, 2, 0.1, priority: 2),
        ],
        Quality = DefaultQuality,
        Source = "pack:combustible-gas; set-points GB/T 50493-2019 5.5.2 \"应为\" [C]; deadband [NC] configurable",
    };

    /// <summary>
    /// City gas, utility-tunnel natural-gas compartment: alarm 20 %LEL, emergency cut-off 35 %LEL. A site override,
    /// not a default (the default for city-gas detectors is <see cref="CombustibleGas"/>, CJ 3057 value [NC]).
    /// </summary>
    public static AlarmRuleDefinition UtilityTunnelNaturalGas { get; } = CombustibleGas with
    {
        Id = "gas.combustible.tunnel.level",
        Limits =
        [
            Limit("L1", AlarmLevel.Level1, 20, 2, priority: 4),
            Limit("CUTOFF", AlarmLevel.Level2, 35, 2, priority: 2),
        ],
        Source = "pack:city-gas; utility tunnel 20/35 %LEL [S] (exam question quoting the tunnel code); deadband [NC]",
    };

    /// <summary>Ambient oxygen, %VOL: low (欠氧) 19.5, high (过氧) 23.5.</summary>
    public static AlarmRuleDefinition Oxygen { get; } = new()
    {
        Id = "gas.oxygen.level",
        Unit = "%VOL",
        Latching = true,
        Limits =
        [
            // [C] GB/T 50493-2019 5.5.2 ("宜"). Both are one alarm each; their ranking as level 1 is [NC].
            Limit("LOW", AlarmLevel.Level1, 19.5, 0.2, priority: 3, AlarmDirection.Low),
            Limit("HIGH", AlarmLevel.Level1, 23.5, 0.2, priority: 3),
        ],
        Quality = DefaultQuality with { ValidMin = 0, ValidMax = 30 }, // range [NC]
        Source = "pack:oxygen; set-points GB/T 50493-2019 5.5.2 [C]; levels, deadband, range [NC] configurable",
    };

    /// <summary>Fuel tank fill, % of capacity: H 90, HH 95 (overfill / stop delivery).</summary>
    public static AlarmRuleDefinition TankFillPercent { get; } = new()
    {
        Id = "tank.fill_percent.level",
        Unit = "%",
        Limits =
        [
            Limit("H", AlarmLevel.Level1, 90, 0.5, priority: 3),
            Limit("HH", AlarmLevel.Level2, 95, 0.5, priority: 2),
        ],
        Quality = DefaultQuality with { ValidMin = 0, ValidMax = 100 },
        Source = "pack:fuel-station; 90 %/95 % from US 40 CFR 280.20(c) [S], not a GB value (GB 50156 [NC]); configurable",
    };

    /// <summary>Double-wall tank interstitial sensor: 0 dry, 1 liquid/vapour (leak), 2 sensor out (fault).</summary>
    public static AlarmRuleDefinition InterstitialLeak { get; } = new()
    {
        Id = "leak.interstitial",
        Limits = [Limit("LEAK", AlarmLevel.Level1, 1, 0, priority: 2)],
        Quality = DefaultQuality with { FaultValues = [2], ValidMin = 0, ValidMax = 2 },
        Source = "pack:fuel-station; leak = alarm, sensor out = fault per GB/T 30040-2013 classes [S]; level [NC]",
    };

    /// <summary>Independent high-high level switch (1 = HH): the HH alarm GB 50074 wants from a separate instrument.</summary>
    public static AlarmRuleDefinition LevelSwitchHighHigh { get; } = new()
    {
        Id = "tank.level_switch_hh",
        Limits = [Limit("HH", AlarmLevel.Level2, 1, 0, priority: 2)],
        Quality = DefaultQuality with { ValidMin = 0, ValidMax = 1 },
        Source = "pack:chemical-tank; HH from a separate switch, interlocked to close the inlet: GB 50074-2014 §15.1 [C]",
    };

    /// <summary>Builds the default pack set on top of <paramref name="packs"/>.</summary>
    internal static RulePacks Build(RulePacks packs)
    {
        packs = packs
            .With("gas.combustible", CombustibleGas)
            .With("gas.combustible.path", CombustibleGasOpenPath)
            .With("gas.oxygen", Oxygen);
        foreach (var gas in ToxicGases)
        {
            packs = packs.With(gas.Quantity, Toxic(gas, "mg/m3", 1.0)).With(gas.Quantity, Toxic(gas, "ppm", MolarVolume / gas.MolarMass));
        }

        packs = packs
            .With("tank.fill_percent", TankFillPercent)
            .With("leak.interstitial", InterstitialLeak)
            .With("tank.level_switch_hh", LevelSwitchHighHigh);
        foreach (var (quantity, pack, note) in Unconfirmed)
        {
            packs = packs.With(quantity, new AlarmRuleDefinition
            {
                Id = quantity + ".level",
                Quality = DefaultQuality,
                Source = $"pack:{pack}; no default set-point: {note} [NC], configure per site (fault, stale and range rules apply)",
            });
        }

        return packs;
    }

    /// <summary>
    /// Toxic gases: L1 = 1 × OEL, L2 = 2 × OEL (GB/T 50493-2019 5.5.2 [C]); OEL = MAC where defined, else PC-TWA,
    /// in mg/m3, from a vendor table said to follow GB/T 50493-2019 [S]; which GBZ 2.1 limit is "the" OEL is [NC].
    /// </summary>
    public static IReadOnlyList<ToxicGas> ToxicGases { get; } =
    [
        new("gas.h2s", "H2S", 10, 34.08, 430),
        new("gas.co", "CO", 20, 28.01, 1700),
        new("gas.nh3", "NH3", 20, 17.03, 360),
        new("gas.cl2", "Cl2", 1, 70.90, 88),
        new("gas.so2", "SO2", 5, 64.07, 270),
        new("gas.no2", "NO2", 5, 46.01, 96),
        new("gas.benzene", "C6H6", 6, 78.11, 9800),
        new("gas.hcn", "HCN", 1, 27.03, 56),
    ];

    private static readonly (string Quantity, string Pack, string Note)[] Unconfirmed =
    [
        ("tank.product_level", "fuel-station", "tank-specific heights; rate of rise during delivery site-configured"),
        ("tank.water_level", "fuel-station", "high-water set-point site-configured (GB 50156 clause not found)"),
        ("tank.temperature", "chemical-tank", "H/HH per design"),
        ("tank.pressure", "chemical-tank", "H/HH, L for vacuum, per design; over-limit alarm mandatory for city-gas storage (MOHURD 2023 [C])"),
        ("tank.level", "chemical-tank", "H/HH/L/LL heights (required by GB 50074-2014 §15.1 [C], values SH/T 3007)"),
        ("pressure.inlet", "city-gas", "design pressures of the station"),
        ("pressure.outlet", "city-gas", "H/HH from downstream design pressure (MOHURD 2023 [C] makes missing protection a major hazard)"),
        ("valve.state", "city-gas", "which state is abnormal depends on the valve"),
    ];

    /// <summary>
    /// The fallback for a toxic gas whose detector range does not cover the OEL scale: L1 = 5 % IDLH, L2 = 10 % IDLH
    /// (GB/T 50493-2019 5.5.2 [C]; IDLH values [S]). A site override, never a default.
    /// </summary>
    /// <exception cref="ArgumentException">The quantity is not in <see cref="ToxicGases"/>.</exception>
    public static AlarmRuleDefinition ToxicIdlhFallback(string quantity, string unit = "mg/m3")
    {
        var gas = ToxicGases.FirstOrDefault(g => string.Equals(g.Quantity, quantity, StringComparison.Ordinal))
            ?? throw new ArgumentException($"No toxic-gas row for {quantity}.", nameof(quantity));
        var factor = unit == "ppm" ? MolarVolume / gas.MolarMass : 1.0;
        return Toxic(gas, unit, factor) with
        {
            Id = gas.Quantity + ".idlh.level",
            Limits =
            [
                Limit("L1", AlarmLevel.Level1, Math.Round(0.05 * gas.IdlhMgPerM3 * factor, 2), 0, priority: 3),
                Limit("L2", AlarmLevel.Level2, Math.Round(0.10 * gas.IdlhMgPerM3 * factor, 2), 0, priority: 1),
            ],
            Source = $"pack:toxic-gas; {gas.Formula} IDLH {gas.IdlhMgPerM3} mg/m3 [S]; fallback 5 %/10 % IDLH GB/T 50493-2019 5.5.2 [C]",
        };
    }

    private static AlarmRuleDefinition Toxic(ToxicGas gas, string unit, double factor) => new()
    {
        Id = gas.Quantity + ".level",
        Unit = unit,
        Latching = true,
        Limits =
        [
            Limit("L1", AlarmLevel.Level1, Math.Round(gas.OelMgPerM3 * factor, 2), 0, priority: 3),
            Limit("L2", AlarmLevel.Level2, Math.Round(2 * gas.OelMgPerM3 * factor, 2), 0, priority: 1),
        ],
        Quality = DefaultQuality with { ValidMin = 0 },
        Source = unit == "ppm"
            ? $"pack:toxic-gas; {gas.Formula} OEL {gas.OelMgPerM3} mg/m3 [S] × 24.45/{gas.MolarMass} (25 °C [NC]); rule 1×/2× OEL GB/T 50493-2019 5.5.2 [C]"
            : $"pack:toxic-gas; {gas.Formula} OEL {gas.OelMgPerM3} mg/m3 [S]; rule 1×/2× OEL GB/T 50493-2019 5.5.2 [C]",
    };

    private static AlarmLimitDefinition Limit(string name, AlarmLevel level, double setPoint, double deadband, int priority,
        AlarmDirection direction = AlarmDirection.High) => new()
        {
            Name = name,
            Level = level,
            Direction = direction,
            SetPoint = setPoint,
            Deadband = deadband,
            Priority = priority,
        };
}
