using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace SensorGateway.Profiles.Yaml;

/// <summary>
/// Reads a YAML file into a document model strictly: unknown keys, duplicate keys and values of the wrong
/// type are errors located at file, line and column, and naming the key. Keeps each object's position
/// for the semantic checks that follow.
/// </summary>
internal sealed partial class StrictYamlReader
{
    private readonly Dictionary<object, Mark> _marks = new(ReferenceEqualityComparer.Instance);
    private readonly string _file;
    private readonly string[] _lines;

    private StrictYamlReader(string file, string text)
    {
        _file = file;
        _lines = text.Split('\n');
    }

    /// <summary>Where an object read from the file started.</summary>
    public (int Line, int Column) PositionOf(object node) =>
        _marks.TryGetValue(node, out var mark) ? ((int)mark.Line, (int)mark.Column) : (0, 0);

    public ConfigurationError ErrorAt(object? node, string field, string problem)
    {
        var (line, column) = node is null ? (0, 0) : PositionOf(node);
        return new ConfigurationError(_file, line, column, field, problem);
    }

    public static (T Document, StrictYamlReader Reader) Read<T>(string file, string text)
        where T : class, new()
    {
        var reader = new StrictYamlReader(file, text);
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithDuplicateKeyChecking()
            .WithNodeDeserializer(
                inner => new MarkRecordingNodeDeserializer<ObjectNodeDeserializer>(inner, reader._marks),
                s => s.InsteadOf<ObjectNodeDeserializer>())
            .WithNodeDeserializer(
                inner => new MarkRecordingNodeDeserializer<ScalarNodeDeserializer>(inner, reader._marks),
                s => s.InsteadOf<ScalarNodeDeserializer>())
            .Build();
        try
        {
            var document = deserializer.Deserialize<T>(text) ?? new T();
            return (document, reader);
        }
        catch (YamlException ex)
        {
            throw new ConfigurationFileException([reader.Translate(ex)]);
        }
    }

    private ConfigurationError Translate(YamlException ex)
    {
        var line = (int)ex.Start.Line;
        var column = (int)ex.Start.Column;
        var root = ex;
        while (root.InnerException is YamlException inner && inner.Start.Line > 0)
        {
            root = inner;
        }

        var key = KeyOnLine(line);
        if (ex is SyntaxErrorException || ex is SemanticErrorException)
        {
            return new ConfigurationError(_file, line, column, key, $"invalid YAML: {Clean(ex.Message)}");
        }

        var unknown = UnknownPropertyPattern().Match(ex.Message);
        if (unknown.Success)
        {
            var allowed = AllowedKeys(unknown.Groups["type"].Value);
            return new ConfigurationError(_file, line, column, unknown.Groups["key"].Value,
                $"unknown key '{unknown.Groups["key"].Value}'" + (allowed.Length > 0 ? $"; allowed here: {string.Join(", ", allowed)}" : ""));
        }

        if (ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase))
        {
            return new ConfigurationError(_file, line, column, key, $"the key '{key}' appears twice in the same mapping; keep one");
        }

        var mismatch = NodeMismatchPattern().Match(ex.Message);
        if (mismatch.Success)
        {
            var expected = Type.GetType(mismatch.Groups["type"].Value) is { } type ? YamlTypeNames.Describe(type) : "another kind of value";
            return new ConfigurationError(_file, line, column, key, $"expected {expected} here, found a list or mapping");
        }

        var message = root == ex && ex.InnerException is { } cause && ex.Message.StartsWith("Exception during deserialization", StringComparison.Ordinal)
            ? cause.Message
            : root.Message;
        return new ConfigurationError(_file, (int)root.Start.Line, (int)root.Start.Column, KeyOnLine((int)root.Start.Line), Clean(message));
    }

    // Block-style YAML puts "key: value" on one line; this names the field the integrator wrote.
    private string KeyOnLine(int line)
    {
        if (line < 1 || line > _lines.Length)
        {
            return "(document)";
        }

        var text = _lines[line - 1].Trim().TrimStart('-').Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? text[..colon].Trim() : text;
    }

    private static string Clean(string message) =>
        message.StartsWith('(') && message.Contains(") - ", StringComparison.Ordinal)
            ? message[(message.IndexOf(") - ", StringComparison.Ordinal) + 4)..]
            : message;

    private static string[] AllowedKeys(string typeName)
    {
        var type = typeof(StrictYamlReader).Assembly.GetType(typeName);
        return type is null
            ? []
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name))
                .ToArray();
    }

    [GeneratedRegex("No node deserializer was able to deserialize the node into type (?<type>[^,\\s]+)")]
    private static partial Regex NodeMismatchPattern();

    [GeneratedRegex("Property '(?<key>[^']+)' not found on type '(?<type>[^']+)'")]
    private static partial Regex UnknownPropertyPattern();
}
