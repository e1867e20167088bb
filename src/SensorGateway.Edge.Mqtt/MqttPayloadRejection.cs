namespace SensorGateway.Edge.Mqtt;

/// <summary>Why a payload was not turned into readings. The reason is a metric tag; the detail is for people.</summary>
public sealed record MqttPayloadRejection(string Reason, string Detail)
{
    public const string UnknownTopic = "unknown_topic";
    public const string Oversize = "oversize";
    public const string InvalidJson = "invalid_json";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string NonFinite = "non_finite";
    public const string UnknownChannel = "unknown_channel";
    public const string BadTimestamp = "bad_timestamp";
}
