using System.Text.Json;
using Jobs.Handlers;
using Jobs.JobTypes.ScriptForge;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Tests.ScriptForge;

/// <summary>Runs scriptforge attempts the way the engine does: a handler, a job context, a payload.</summary>
public sealed class ScriptJobs(ScriptStore store, ScriptForgeOptions? options = null)
{
    public const string Tenant = "acme";

    public ScriptForgeHandler Handler { get; } = new(
        Options.Create(options ?? new ScriptForgeOptions()), store, NullLogger<ScriptForgeHandler>.Instance);

    // Payloads are written with the web defaults (camelCase), as callers send them.
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static JobContext Context(object payload, string tenant = Tenant) =>
        Context(JsonSerializer.Serialize(payload, PayloadJson), tenant);

    // ScriptForge never fans out to other grains, so the context needs no grain factory.
    public static JobContext Context(string payloadJson, string tenant = Tenant) =>
        new(Guid.NewGuid(), ScriptForgeHandler.TypeId, tenant, attempt: 1, attempts: 3, payloadJson, grainFactory: null!);

    public Task<JobOutcome> RunAsync(object payload, CancellationToken cancellationToken = default) =>
        Handler.ExecuteAsync(Context(payload), cancellationToken);

    public async Task<string?> ResultOfAsync(object payload)
    {
        var outcome = await RunAsync(payload);
        return Assert.IsType<JobOutcome.Success>(outcome).ResultJson;
    }

    public async Task<JobOutcome.Failure> FailureOfAsync(object payload)
    {
        var outcome = await RunAsync(payload);
        return Assert.IsType<JobOutcome.Failure>(outcome);
    }
}
