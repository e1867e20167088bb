namespace SensorGateway.Grpc.Security;

/// <summary>What an API key may do; each role may do everything the roles below it may.</summary>
public enum HazardRole
{
    /// <summary>No access (never configured; the default of an unknown key).</summary>
    None = 0,

    /// <summary>Reads: Subscribe, ListHazards, GetHazard.</summary>
    Viewer = 1,

    /// <summary>Duty officer: + acknowledge, grade, start rectification, submit for verification, shelve/unshelve alarms.</summary>
    Officer = 2,

    /// <summary>Safety supervisor: + verify, close (销号), withdraw (误报撤销).</summary>
    Supervisor = 3,

    /// <summary>Everything.</summary>
    Admin = 4,
}
