using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.ScriptForge;

public sealed partial class ScriptStore
{
    [LoggerMessage(EventId = 4140, Level = LogLevel.Information,
        Message = "Stored script {ScriptId} version {Version} for tenant {Tenant}: {Length} characters")]
    private partial void LogSaved(Guid scriptId, string tenant, int version, int length);
}
