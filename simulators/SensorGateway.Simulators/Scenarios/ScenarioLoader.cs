using System.Globalization;
using SensorGateway.Core.Alarms;
using SensorGateway.Profiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SensorGateway.Simulators.Scenarios;

/// <summary>
/// Loads a scenario file strictly: unknown keys, missing or mistyped values and events that name no device
/// are errors located at file, line and column and naming the field; all of them are collected and thrown
/// together as a <see cref="ConfigurationFileException"/>.
/// </summary>
/// <remarks>
/// <code>
/// scenario: { name: fuel-leak, site: ../sites/fuel-station.yaml, seed: 7, duration: 40s, speed: 1, startHour: 14 }
/// events:
///   - { at: 5s, type: gas-leak, device: gd-02, channel: lel, rate: 4, peak: 62, spread: [{ device: gd-01, channel: lel, delay: 4s, factor: 0.4 }] }
///   - { at: 8s, until: 20s, type: silent, device: atg-01 }
/// expect:
///   - { at: 10s, within: 3s, device: gd-02, channel: lel, kind: raised, level: level1 }
/// </code>
/// </remarks>
public static class ScenarioLoader
{
    private static readonly string[] s_scenarioKeys = ["name", "description", "site", "seed", "duration", "speed", "startHour"];
    private static readonly string[] s_eventKeys = ["at", "until", "type", "device", "channel", "rate", "peak", "value", "duration", "bit", "code", "spread"];
    private static readonly string[] s_spreadKeys = ["device", "channel", "delay", "factor"];
    private static readonly string[] s_expectKeys = ["at", "within", "device", "channel", "kind", "level"];

    public static Scenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigurationFileException([new ConfigurationError(path, 0, 0, "(file)", "the scenario file does not exist")]);
        }

        return Parse(path, System.IO.File.ReadAllText(path));
    }

    /// <param name="file">The file's path: names it in errors, and the site file is resolved against its folder.</param>
    public static Scenario Parse(string file, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationFileException([new ConfigurationError(file, (int)ex.Start.Line, (int)ex.Start.Column, "(document)", $"invalid YAML: {ex.Message}")]);
        }

        var reader = new Reader(file);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationFileException([new ConfigurationError(file, 0, 0, "(document)", "a scenario file is a mapping with 'scenario:', 'events:' and 'expect:'")]);
        }

        reader.CheckKeys(root, "", ["scenario", "events", "expect"]);
        var head = reader.Mapping(root, "scenario", required: true);
        string name = "", description = "", site = "";
        int seed = 1;
        TimeSpan duration = TimeSpan.Zero;
        double speed = 1, startHour = 12;
        if (head is not null)
        {
            reader.CheckKeys(head, "scenario.", s_scenarioKeys);
            name = reader.String(head, "scenario.name", "name", required: true) ?? "";
            description = reader.String(head, "scenario.description", "description", required: false) ?? "";
            site = reader.String(head, "scenario.site", "site", required: true) ?? "";
            seed = (int)(reader.Number(head, "scenario.seed", "seed", required: true, min: int.MinValue, max: int.MaxValue) ?? 1);
            duration = reader.Duration(head, "scenario.duration", "duration", required: true) ?? TimeSpan.Zero;
            speed = reader.Number(head, "scenario.speed", "speed", required: false, min: 0.01, max: 10_000) ?? 1;
            startHour = reader.Number(head, "scenario.startHour", "startHour", required: false, min: 0, max: 24) ?? 12;
        }

        var events = new List<ScenarioEvent>();
        foreach (var (node, index) in reader.Sequence(root, "events"))
        {
            if (ReadEvent(reader, node, $"events[{index}]", duration) is { } e)
            {
                events.Add(e);
            }
        }

        var expected = new List<ExpectedAlarm>();
        foreach (var (node, index) in reader.Sequence(root, "expect"))
        {
            if (ReadExpectation(reader, node, $"expect[{index}]") is { } x)
            {
                expected.Add(x);
            }
        }

        reader.ThrowIfErrors();
        var siteFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", site));
        return new Scenario(name, description, file, siteFile, seed, duration, speed, startHour,
            [.. events.OrderBy(e => e.At)], expected);
    }

    private static ScenarioEvent? ReadEvent(Reader reader, YamlNode node, string path, TimeSpan duration)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, path, "an event is a mapping such as { at: 5s, type: gas-leak, device: gd-02, channel: lel }");
            return null;
        }

        reader.CheckKeys(map, path + ".", s_eventKeys);
        var at = reader.Duration(map, $"{path}.at", "at", required: true);
        var until = reader.Duration(map, $"{path}.until", "until", required: false);
        var typeText = reader.String(map, $"{path}.type", "type", required: true);
        ScenarioEventType? type = null;
        if (typeText is not null)
        {
            type = Enum.GetValues<ScenarioEventType>().Cast<ScenarioEventType?>().FirstOrDefault(t => KebabCase(t!.Value.ToString()) == typeText);
            if (type is null)
            {
                reader.Error(map.Children[new YamlScalarNode("type")], $"{path}.type",
                    $"unknown event type '{typeText}'; known: {string.Join(", ", Enum.GetValues<ScenarioEventType>().Select(t => KebabCase(t.ToString())))}");
            }
        }

        var needsDevice = type is not (ScenarioEventType.BrokerOutage or ScenarioEventType.DatabaseOutage);
        var needsChannel = type is not (null or ScenarioEventType.BrokerOutage or ScenarioEventType.DatabaseOutage or ScenarioEventType.Silent
            or ScenarioEventType.ModbusException or ScenarioEventType.CorruptFrames);
        var device = reader.String(map, $"{path}.device", "device", required: needsDevice);
        var channel = reader.String(map, $"{path}.channel", "channel", required: needsChannel);
        var needsRate = type is ScenarioEventType.GasLeak or ScenarioEventType.Ramp or ScenarioEventType.Delivery or ScenarioEventType.Drift;
        var rate = reader.Number(map, $"{path}.rate", "rate", required: needsRate, min: double.MinValue, max: double.MaxValue) ?? 0;
        var peak = reader.Number(map, $"{path}.peak", "peak", required: type is ScenarioEventType.GasLeak or ScenarioEventType.Ramp, min: double.MinValue, max: double.MaxValue);
        var value = reader.Number(map, $"{path}.value", "value", required: type is ScenarioEventType.Set or ScenarioEventType.FaultValue, min: double.MinValue, max: double.MaxValue);
        var length = reader.Duration(map, $"{path}.duration", "duration", required: type is ScenarioEventType.Delivery);
        var bit = (int)(reader.Number(map, $"{path}.bit", "bit", required: false, min: 0, max: 15) ?? 0);
        var code = (int)(reader.Number(map, $"{path}.code", "code", required: type is ScenarioEventType.ModbusException, min: 1, max: 255) ?? 0);
        var spread = new List<LeakSpread>();
        foreach (var (item, i) in reader.Sequence(map, "spread", path + "."))
        {
            var spreadPath = $"{path}.spread[{i}]";
            if (item is not YamlMappingNode s)
            {
                reader.Error(item, spreadPath, "a spread entry is a mapping { device, channel, delay, factor }");
                continue;
            }

            reader.CheckKeys(s, spreadPath + ".", s_spreadKeys);
            var d = reader.String(s, $"{spreadPath}.device", "device", required: true);
            var c = reader.String(s, $"{spreadPath}.channel", "channel", required: false) ?? channel;
            var delay = reader.Duration(s, $"{spreadPath}.delay", "delay", required: true);
            var factor = reader.Number(s, $"{spreadPath}.factor", "factor", required: true, min: 0, max: 10);
            if (d is not null && c is not null && delay is not null && factor is not null)
            {
                spread.Add(new LeakSpread(d, c, delay.Value, factor.Value));
            }
        }

        if (at is { } a && until is { } u && u <= a)
        {
            reader.Error(map.Children[new YamlScalarNode("until")], $"{path}.until", $"'until' ({u.TotalSeconds:0.###}s) must come after 'at' ({a.TotalSeconds:0.###}s)");
        }

        if (at is { } start && duration > TimeSpan.Zero && start > duration)
        {
            reader.Error(map.Children[new YamlScalarNode("at")], $"{path}.at", $"the event starts at {start.TotalSeconds:0.###}s, after the scenario's duration ({duration.TotalSeconds:0.###}s)");
        }

        return at is null || type is null || (needsDevice && device is null) || (needsChannel && channel is null)
            ? null
            : new ScenarioEvent(type.Value, at.Value, until, device, channel, rate, peak, value, length, bit, code, spread, reader.LineOf(map));
    }

    private static ExpectedAlarm? ReadExpectation(Reader reader, YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, path, "an expectation is a mapping such as { at: 10s, within: 3s, device: gd-02, channel: lel, kind: raised, level: level1 }");
            return null;
        }

        reader.CheckKeys(map, path + ".", s_expectKeys);
        var at = reader.Duration(map, $"{path}.at", "at", required: true);
        var within = reader.Duration(map, $"{path}.within", "within", required: false) ?? TimeSpan.FromSeconds(3);
        var device = reader.String(map, $"{path}.device", "device", required: true);
        var channel = reader.String(map, $"{path}.channel", "channel", required: true);
        var kind = reader.Enum<AlarmEventKind>(map, $"{path}.kind", "kind");
        var level = reader.Enum<AlarmLevel>(map, $"{path}.level", "level");
        return at is null || device is null || channel is null || kind is null || level is null
            ? null
            : new ExpectedAlarm(device, channel, kind.Value, level.Value, at.Value, within);
    }

    internal static string KebabCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Parses <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, or a TimeSpan such as <c>00:01:30</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : text.EndsWith('h') ? (text[..^1], 3_600_000.0)
            : ("", 0.0);
        if (unit > 0 && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            value = TimeSpan.FromMilliseconds(n * unit);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    private sealed class Reader(string file)
    {
        private readonly List<ConfigurationError> _errors = [];

        public void ThrowIfErrors()
        {
            if (_errors.Count > 0)
            {
                throw new ConfigurationFileException(_errors);
            }
        }

        public int LineOf(YamlNode node) => (int)node.Start.Line;

        public void Error(YamlNode? node, string field, string problem) =>
            _errors.Add(new ConfigurationError(file, node is null ? 0 : (int)node.Start.Line, node is null ? 0 : (int)node.Start.Column, field, problem));

        public void CheckKeys(YamlMappingNode map, string prefix, string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    Error(key, prefix + name, $"unknown key '{name}'; allowed here: {string.Join(", ", allowed)}");
                }
            }
        }

        public YamlMappingNode? Mapping(YamlMappingNode parent, string key, bool required)
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                if (required)
                {
                    Error(null, key, $"missing '{key}:'");
                }

                return null;
            }

            if (node is YamlMappingNode map)
            {
                return map;
            }

            Error(node, key, $"'{key}' must be a mapping");
            return null;
        }

        public IEnumerable<(YamlNode Node, int Index)> Sequence(YamlMappingNode parent, string key, string prefix = "")
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return [];
            }

            if (node is YamlSequenceNode list)
            {
                return list.Children.Select((n, i) => (n, i));
            }

            Error(node, prefix + key, $"'{key}' must be a list");
            return [];
        }

        private YamlScalarNode? Scalar(YamlMappingNode map, string field, string key, bool required)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                if (required)
                {
                    Error(map, field, $"missing '{key}'");
                }

                return null;
            }

            if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                return scalar;
            }

            Error(node, field, $"'{key}' must be a single value");
            return null;
        }

        public string? String(YamlMappingNode map, string field, string key, bool required) => Scalar(map, field, key, required)?.Value;

        public double? Number(YamlMappingNode map, string field, string key, bool required, double min, double max)
        {
            var scalar = Scalar(map, field, key, required);
            if (scalar is null)
            {
                return null;
            }

            if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                Error(scalar, field, $"expected a number, found '{scalar.Value}'");
                return null;
            }

            if (value < min || value > max)
            {
                Error(scalar, field, $"{value.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }

            return value;
        }

        public TimeSpan? Duration(YamlMappingNode map, string field, string key, bool required)
        {
            var scalar = Scalar(map, field, key, required);
            if (scalar is null)
            {
                return null;
            }

            if (TryParseDuration(scalar.Value!, out var value))
            {
                return value;
            }

            Error(scalar, field, $"expected a duration such as 500ms, 5s, 2m or 00:01:30, found '{scalar.Value}'");
            return null;
        }

        public T? Enum<T>(YamlMappingNode map, string field, string key)
            where T : struct, Enum
        {
            var scalar = Scalar(map, field, key, required: true);
            if (scalar is null)
            {
                return null;
            }

            if (System.Enum.TryParse<T>(scalar.Value, ignoreCase: true, out var value) && !int.TryParse(scalar.Value, out _))
            {
                return value;
            }

            Error(scalar, field, $"unknown {key} '{scalar.Value}'; known: {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
            return null;
        }
    }
}
