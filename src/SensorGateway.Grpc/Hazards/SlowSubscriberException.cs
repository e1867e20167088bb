namespace SensorGateway.Grpc.Hazards;

/// <summary>A live subscriber fell further behind than its buffer allows and was cut off.</summary>
public sealed class SlowSubscriberException : Exception
{
    public SlowSubscriberException()
        : base("The subscriber fell too far behind; resume from the last sequence received.")
    {
    }

    public SlowSubscriberException(string message)
        : base(message)
    {
    }

    public SlowSubscriberException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
