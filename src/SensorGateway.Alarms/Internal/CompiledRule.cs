using System.Globalization;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

/// <summary>One limit, with durations in ticks, ready for the hot path.</summary>
internal sealed class CompiledLimit(AlarmLimitDefinition definition)
{
    public readonly string Name = definition.Name;
    public readonly AlarmLevel Level = definition.Level;
    public readonly bool High = definition.Direction == AlarmDirection.High;
    public readonly double SetPoint = definition.SetPoint;
    public readonly double Deadband = definition.Deadband;
    public readonly long OnDelay = definition.OnDelay.Ticks;
    public readonly long OffDelay = definition.OffDelay.Ticks;
    public readonly long ReAlarm = definition.ReAlarmInterval.Ticks;
    public readonly int Priority = definition.Priority;
    public readonly HazardGrade Grade = definition.HazardGrade;

    /// <summary>Whether the value is past the limit, with hysteresis: an active limit clears only beyond the deadband.</summary>
    public bool Breached(double value, bool active) => High
        ? (active ? value >= SetPoint - Deadband : value >= SetPoint)
        : (active ? value <= SetPoint + Deadband : value <= SetPoint);
}

/// <summary>An <see cref="AlarmRuleDefinition"/> validated and compiled once per rule, shared by its channels.</summary>
internal sealed class CompiledRule
{
    private const int ReasonCount = (int)QualityReason.DecodeError + 1;
    private readonly long[] _faultOn = new long[ReasonCount];
    private readonly long[] _faultOff = new long[ReasonCount];
    private readonly bool[] _faultEnabled = new bool[ReasonCount];

    public CompiledRule(AlarmRuleDefinition definition, string context)
    {
        Validate(definition, context);
        Definition = definition;
        Id = definition.Id;
        FaultRuleId = definition.Id + ".fault";
        RateRuleId = definition.Id + ".rate";
        VoteRuleId = definition.Id + ".vote";
        Limits = [.. definition.Limits.OrderBy(l => l.Level).ThenBy(l => l.Name, StringComparer.Ordinal).Select(l => new CompiledLimit(l))];
        Latching = definition.Latching;
        Unit = definition.Unit;
        Rate = definition.RateOfRise;
        RateWindow = Rate?.Window.Ticks ?? 0;
        VoteRequired = definition.VoteRequired;
        var quality = definition.Quality ?? SectorRulePacks.DefaultQuality;
        StaleAfter = quality.StaleAfter.Ticks;
        FlatlineAfter = quality.FlatlineAfter.Ticks;
        FlatlineTolerance = quality.FlatlineTolerance;
        ValidMin = quality.ValidMin;
        ValidMax = quality.ValidMax;
        FaultValues = [.. quality.FaultValues];
        Array.Fill(_faultOn, quality.FaultOnDelay.Ticks);
        Array.Fill(_faultOff, quality.FaultOffDelay.Ticks);
        Array.Fill(_faultEnabled, true);
        foreach (var fault in quality.Faults)
        {
            _faultOn[(int)fault.Reason] = fault.OnDelay.Ticks;
            _faultOff[(int)fault.Reason] = fault.OffDelay.Ticks;
            _faultEnabled[(int)fault.Reason] = fault.Enabled;
        }

        RateSetPoint = Rate?.RatePerMinute ?? double.NaN;
    }

    public AlarmRuleDefinition Definition { get; }

    public string Id { get; }

    public string FaultRuleId { get; }

    public string RateRuleId { get; }

    public string VoteRuleId { get; }

    public CompiledLimit[] Limits { get; }

    public bool Latching { get; }

    public string? Unit { get; }

    public RateOfRiseDefinition? Rate { get; }

    public long RateWindow { get; }

    public double RateSetPoint { get; }

    public int VoteRequired { get; }

    public long StaleAfter { get; }

    public long FlatlineAfter { get; }

    public double FlatlineTolerance { get; }

    public double ValidMin { get; }

    public double ValidMax { get; }

    public double[] FaultValues { get; }

    public long FaultOnDelay(QualityReason reason) => _faultOn[(int)reason];

    public long FaultOffDelay(QualityReason reason) => _faultOff[(int)reason];

    public bool FaultEnabled(QualityReason reason) => _faultEnabled[(int)reason];

    public CompiledLimit? FindLimit(string name) => Array.Find(Limits, l => string.Equals(l.Name, name, StringComparison.Ordinal));

    private static void Validate(AlarmRuleDefinition definition, string context)
    {
        ArgumentNullException.ThrowIfNull(definition);
        void Fail(string field, string problem) =>
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Alarm rule '{definition.Id}' of {context}: {field} {problem}."));

        if (string.IsNullOrWhiteSpace(definition.Id))
        {
            Fail("Id", "is empty");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var limit in definition.Limits)
        {
            if (limit is null || string.IsNullOrWhiteSpace(limit.Name))
            {
                Fail("Limits", "contains a limit without a name");
                return;
            }

            if (!names.Add(limit.Name))
            {
                Fail($"Limits[{limit.Name}]", "is defined twice");
            }

            if (!double.IsFinite(limit.SetPoint))
            {
                Fail($"Limits[{limit.Name}].SetPoint", "is not a finite number");
            }

            if (!double.IsFinite(limit.Deadband) || limit.Deadband < 0)
            {
                Fail($"Limits[{limit.Name}].Deadband", "must be zero or more");
            }

            if (limit.OnDelay < TimeSpan.Zero || limit.OffDelay < TimeSpan.Zero || limit.ReAlarmInterval < TimeSpan.Zero)
            {
                Fail($"Limits[{limit.Name}] delays", "must not be negative");
            }

            if (limit.Level is not (AlarmLevel.Level1 or AlarmLevel.Level2))
            {
                Fail($"Limits[{limit.Name}].Level", "must be Level1 or Level2 (faults come from the quality rules)");
            }

            if (limit.Priority is < 1 or > 4)
            {
                Fail($"Limits[{limit.Name}].Priority", "must be 1 (highest) to 4");
            }
        }

        if (definition.RateOfRise is { } rate)
        {
            if (!double.IsFinite(rate.RatePerMinute) || rate.RatePerMinute <= 0)
            {
                Fail("RateOfRise.RatePerMinute", "must be a positive number");
            }

            if (rate.Window <= TimeSpan.Zero)
            {
                Fail("RateOfRise.Window", "must be positive");
            }

            if (rate.Deadband < 0 || rate.Deadband >= rate.RatePerMinute)
            {
                Fail("RateOfRise.Deadband", "must be zero or more and below the rate");
            }
        }

        if (definition.VoteRequired is < 0 or 1)
        {
            Fail("VoteRequired", "must be 0 (no voting) or at least 2");
        }

        if (definition.Quality is { } quality)
        {
            if (quality.ExpectedInterval <= TimeSpan.Zero || quality.StaleIntervals < 0)
            {
                Fail("Quality.ExpectedInterval/StaleIntervals", "must be positive / not negative");
            }

            if (quality.FlatlineAfter < TimeSpan.Zero || quality.FlatlineTolerance < 0)
            {
                Fail("Quality.Flatline", "settings must not be negative");
            }

            if (quality.FaultOnDelay < TimeSpan.Zero || quality.FaultOffDelay < TimeSpan.Zero ||
                quality.Faults.Any(f => f.OnDelay < TimeSpan.Zero || f.OffDelay < TimeSpan.Zero))
            {
                Fail("Quality fault delays", "must not be negative");
            }
        }
    }
}
