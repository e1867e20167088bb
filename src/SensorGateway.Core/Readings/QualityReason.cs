namespace SensorGateway.Core.Readings;

/// <summary>Why a reading is not good. Each reason maps to its own fault alarm in the rule packs.</summary>
public enum QualityReason
{
    None = 0,

    /// <summary>The device did not answer, or the connection to it is down.</summary>
    CommFailure,

    /// <summary>The device itself reports a sensor fault (status word, fault bit or code).</summary>
    SensorFault,

    /// <summary>The value lies outside the channel's valid range.</summary>
    OutOfRange,

    /// <summary>No fresh value arrived for longer than the channel allows.</summary>
    Stale,

    /// <summary>A live signal stuck at one value for too long.</summary>
    Flatline,

    /// <summary>A 4–20 mA loop current outside the NAMUR NE 43 measuring band.</summary>
    LoopCurrentFault,

    /// <summary>The device reports calibration in progress.</summary>
    Calibration,

    /// <summary>The device reports warm-up after power on.</summary>
    WarmUp,

    /// <summary>The device or channel is out of service.</summary>
    OutOfService,

    /// <summary>The payload or registers could not be decoded per profile.</summary>
    DecodeError,
}
