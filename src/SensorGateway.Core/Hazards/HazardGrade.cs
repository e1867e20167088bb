namespace SensorGateway.Core.Hazards;

/// <summary>Hazard grade per 安监总局令第16号 Art. 3: 一般事故隐患 or 重大事故隐患.</summary>
public enum HazardGrade
{
    Unassessed = 0,

    /// <summary>一般: low harm and difficulty, removable on discovery.</summary>
    General,

    /// <summary>重大: needs a stop and a rectification plan, and a report to the authority.</summary>
    Major,
}
