using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.JobTypes.Send;

/// <summary>The result of a send job: the mail's Message-Id and what the server did with each recipient.</summary>
public sealed record SendResult(
    string MessageId, IReadOnlyList<string> Accepted, IReadOnlyList<RefusedRecipient>? Refused);

/// <summary>Writes <see cref="SendResult"/> in camelCase without nulls, and without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendResult))]
internal sealed partial class SendJsonContext : JsonSerializerContext;
