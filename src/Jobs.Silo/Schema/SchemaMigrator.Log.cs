namespace Jobs.Silo.Schema;

// Event ids 1000-1099: database schema.
public sealed partial class SchemaMigrator
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Applying schema file {FileName} (SHA-256 {Checksum})")]
    private partial void LogApplying(string fileName, string checksum);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Database schema is up to date: {AppliedCount} file(s) applied, {SkippedCount} already present")]
    private partial void LogCompleted(int appliedCount, int skippedCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "The database records schema file {FileName}, which this build does not carry; "
            + "a newer build has probably migrated it")]
    private partial void LogUnknownFile(string fileName);
}
