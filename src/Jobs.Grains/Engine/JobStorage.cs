namespace Jobs.Engine;

/// <summary>Names under which job grains keep their state.</summary>
public static class JobStorage
{
    /// <summary>The grain storage provider shared by the engine's grains (ADO.NET on PostgreSQL).</summary>
    public const string Name = "jobs";

    /// <summary>The state name of a job grain; the index trigger recognises job rows by it.</summary>
    public const string StateName = "job";
}
