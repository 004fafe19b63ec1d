using System.Text.Json;
using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Send;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Tests.Send;

/// <summary>Builds send handlers pointed at a test server, and attempts of send jobs.</summary>
internal static class SendTestKit
{
    public const string Tenant = "acme";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static SendHandler Handler(int port, IFileStore? files = null, Action<SendOptions>? configure = null)
    {
        var options = new SendOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Tls = SmtpTlsMode.None,
            Timeout = TimeSpan.FromSeconds(10),
            DefaultFrom = "Jobs <jobs@voip.example>",
        };
        configure?.Invoke(options);
        return new SendHandler(Options.Create(options), NullLogger<SendHandler>.Instance, files);
    }

    /// <summary>The first attempt of a send job of <see cref="Tenant"/>; sending needs no grain factory.</summary>
    public static JobContext Attempt(object payload, Guid? jobId = null) =>
        new(jobId ?? Guid.CreateVersion7(), JobType.Send, Tenant, attempt: 1, attempts: 3,
            JsonSerializer.Serialize(payload, Web), grainFactory: null!);

    public static JsonElement Json(object payload) => JsonSerializer.SerializeToElement(payload, Web);

    public static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement.Clone();

    public static JobOutcome.Failure AssertFailed(JobOutcome outcome, bool permanent)
    {
        var failure = Assert.IsType<JobOutcome.Failure>(outcome);
        Assert.Equal(permanent, failure.Permanent);
        return failure;
    }

    public static JsonElement AssertCompleted(JobOutcome outcome)
    {
        var success = Assert.IsType<JobOutcome.Success>(outcome);
        return JsonDocument.Parse(success.ResultJson!).RootElement.Clone();
    }
}
