using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace SensorGateway.Profiles.Yaml;

/// <summary>
/// Wraps YamlDotNet's node deserializers to remember where each mapped object started, so that
/// validation after deserialization can still name the line, and to turn a scalar that does not
/// convert (a word where a number belongs) into an error located at that scalar.
/// </summary>
/// <typeparam name="TWrapped">The wrapped deserializer's type; YamlDotNet registers one component per type.</typeparam>
internal sealed class MarkRecordingNodeDeserializer<TWrapped>(INodeDeserializer inner, Dictionary<object, Mark> marks) : INodeDeserializer
    where TWrapped : INodeDeserializer
{
    public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
    {
        var start = reader.Current?.Start ?? Mark.Empty;
        var end = reader.Current?.End ?? Mark.Empty;
        var scalar = reader.Current as Scalar;
        bool handled;
        try
        {
            handled = inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer);
        }
        catch (Exception ex) when (scalar is not null && ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
            throw new YamlException(start, end, $"expected {YamlTypeNames.Describe(expectedType)}, found '{scalar.Value}'", ex);
        }

        if (handled && value is not null && !value.GetType().IsValueType && value is not string)
        {
            marks.TryAdd(value, start);
        }

        return handled;
    }
}
