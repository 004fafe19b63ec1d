using System.Text.Json;
using Jobs.Handlers;
using Jobs.JobTypes.Delayed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.JobTypes.Tests.Delayed;

/// <summary>Builds delayed handlers the way the silo does (through <c>AddDelayedJobType</c>) and their attempts.</summary>
internal static class DelayedTestKit
{
    public const string Tenant = "acme";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A handler configured from <paramref name="settings"/> (keys below <c>Jobs:Delayed</c>), beside the noop
    /// handler and any that <paramref name="addHandlers"/> adds, which check the payloads of jobs to create.
    /// </summary>
    public static DelayedHandler Handler(
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? clock = null,
        Action<IServiceCollection>? addHandlers = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((settings ?? new Dictionary<string, string?>())
                .Select(pair => new KeyValuePair<string, string?>($"{DelayedOptions.SectionName}:{pair.Key}", pair.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddDelayedJobType(configuration);
        services.AddSingleton(clock ?? new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z")));
        services.AddJobHandler<NoopHandler>();
        addHandlers?.Invoke(services);
        return services.BuildServiceProvider().GetServices<IJobHandler>().OfType<DelayedHandler>().Single();
    }

    /// <summary>Settings that allow one host (an address, a name or a network).</summary>
    public static Dictionary<string, string?> Allowing(string host, string? timeout = null)
    {
        var settings = new Dictionary<string, string?> { ["AllowedHosts:0"] = host };
        if (timeout is not null)
        {
            settings["RequestTimeout"] = timeout;
        }

        return settings;
    }

    public static JobContext Attempt(object payload, Guid? jobId = null, IGrainFactory? grains = null, int attempt = 1) =>
        new(jobId ?? Guid.CreateVersion7(), JobType.Delayed, Tenant, attempt, attempts: 3,
            payload as string ?? JsonSerializer.Serialize(payload, Web), grains!);

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
