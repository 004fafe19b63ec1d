using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Rating;

public sealed partial class CardStore
{
    [LoggerMessage(EventId = 4360, Level = LogLevel.Information,
        Message = "Card {CardId} ('{Name}') of tenant {Tenant}: revision {Revision} in force, {Entries} entries")]
    private partial void LogRevisionSaved(Guid cardId, string tenant, string name, int revision, int entries);

    [LoggerMessage(EventId = 4361, Level = LogLevel.Debug, Message = "Card {CardId} revision {Revision}: loaded {Entries} entries")]
    private partial void LogCardLoaded(Guid cardId, int revision, int entries);
}
