namespace SensorGateway.Core.Hazards;

/// <summary>What an operator (or the engine) does to a hazard record.</summary>
public enum HazardAction
{
    Open = 0,
    Acknowledge,
    Grade,
    StartRectification,
    SubmitForVerification,
    VerifyPass,
    VerifyFail,
    Close,
    Withdraw,

    /// <summary>The engine saw a higher alarm level on the same record.</summary>
    Escalate,

    /// <summary>The alarm behind the record returned to normal; the record stays open.</summary>
    AlarmCleared,
}
