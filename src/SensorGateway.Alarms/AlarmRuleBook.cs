using SensorGateway.Alarms.Internal;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>
/// The rule of every channel, compiled once: the channel's own definition (profile default or site override)
/// or, without one, the sector rule pack for its quantity. Readings of channels that are not listed are judged
/// by the pack for their quantity, or by the quality rules alone — never ignored.
/// </summary>
public sealed class AlarmRuleBook
{
    private readonly Dictionary<ChannelId, ChannelBinding> _channels;
    private readonly RulePacks _packs;
    private readonly Dictionary<(string Quantity, string Unit), CompiledRule> _unlisted = [];
    private readonly Lock _unlistedGate = new();

    private AlarmRuleBook(Dictionary<ChannelId, ChannelBinding> channels, RulePacks packs, IReadOnlyList<ChannelRule> unconfigured)
    {
        _channels = channels;
        _packs = packs;
        Unconfigured = unconfigured;
    }

    /// <summary>Builds the book; throws <see cref="ArgumentException"/> naming the channel and field of a bad definition.</summary>
    public static AlarmRuleBook Create(IEnumerable<ChannelRule> rules, RulePacks packs)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(packs);
        var channels = new Dictionary<ChannelId, ChannelBinding>();
        var compiled = new Dictionary<AlarmRuleDefinition, CompiledRule>(ReferenceEqualityComparer.Instance);
        // One quality-only rule per quantity, not per channel: the compiled rules are shared by reference.
        var qualityOnly = new Dictionary<string, AlarmRuleDefinition>(StringComparer.Ordinal);
        var unconfigured = new List<ChannelRule>();
        foreach (var rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule);
            ArgumentNullException.ThrowIfNull(rule.Channel);
            ArgumentException.ThrowIfNullOrWhiteSpace(rule.Quantity);
            var definition = rule.Definition ?? packs.Find(rule.Quantity, rule.Unit);
            if (definition is null && !qualityOnly.TryGetValue(rule.Quantity, out definition))
            {
                definition = QualityOnly(rule.Quantity);
                qualityOnly.Add(rule.Quantity, definition);
            }

            if (!compiled.TryGetValue(definition, out var compiledRule))
            {
                compiledRule = new CompiledRule(definition, $"channel {rule.Channel}");
                compiled.Add(definition, compiledRule);
            }

            if (!channels.TryAdd(rule.Channel, new ChannelBinding(rule, compiledRule, rule.Definition is null)))
            {
                throw new ArgumentException($"Channel {rule.Channel} is listed twice in the alarm rules.", nameof(rules));
            }

            if (compiledRule.Limits.Length == 0 && compiledRule.Rate is null)
            {
                unconfigured.Add(rule);
            }
        }

        return new AlarmRuleBook(channels, packs, unconfigured);
    }

    /// <summary>An empty book over the default packs: every reading is judged by the pack of its quantity.</summary>
    public static AlarmRuleBook FromPacks(RulePacks packs) => Create([], packs);

    /// <summary>The listed channels.</summary>
    public IReadOnlyCollection<ChannelRule> Channels => _channels.Values.Select(b => b.Rule).ToArray();

    /// <summary>
    /// Listed channels whose rule has no set-point (the pack marks it "not confirmed"): only fault, stale and range
    /// rules watch them. The host should log these at start-up.
    /// </summary>
    public IReadOnlyList<ChannelRule> Unconfigured { get; }

    /// <summary>The rule that judges a channel's readings, or null for an unlisted channel.</summary>
    public AlarmRuleDefinition? DefinitionFor(ChannelId channel) =>
        _channels.TryGetValue(channel, out var binding) ? binding.Compiled.Definition : null;

    internal IEnumerable<ChannelBinding> Bindings => _channels.Values;

    internal ChannelBinding? Find(ChannelId channel) => _channels.GetValueOrDefault(channel);

    /// <summary>The pack default for a reading's quantity and unit (cached), for unlisted channels and unit switches.</summary>
    internal CompiledRule ForQuantity(string quantity, string unit)
    {
        lock (_unlistedGate)
        {
            if (!_unlisted.TryGetValue((quantity, unit), out var rule))
            {
                rule = new CompiledRule(_packs.Find(quantity, unit) ?? QualityOnly(quantity), $"quantity {quantity}");
                _unlisted.Add((quantity, unit), rule);
            }

            return rule;
        }
    }

    private static AlarmRuleDefinition QualityOnly(string quantity) => new()
    {
        Id = quantity + ".level",
        Quality = SectorRulePacks.DefaultQuality,
        Source = "no rule pack for this quantity: fault, stale and range rules only",
    };
}

/// <summary>A listed channel and its compiled rule.</summary>
internal sealed record ChannelBinding(ChannelRule Rule, CompiledRule Compiled, bool FromPack);
