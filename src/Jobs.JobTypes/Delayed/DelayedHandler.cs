using System.Text.Json;
using Jobs.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// The <c>delayed</c> job type: an action for later. The engine holds the job until its <c>runAt</c> or
/// <c>delayMs</c>; when it runs, the handler makes an HTTP request (<see cref="HttpActionRunner"/>) or creates
/// another job (<see cref="JobActionRunner"/>).
/// </summary>
public sealed partial class DelayedHandler : IJobHandler
{
    /// <summary>The name of the HTTP client whose connections go through the host checks.</summary>
    public const string HttpClientName = "Jobs.Delayed";

    private readonly IOptionsMonitor<DelayedOptions> _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public DelayedHandler(
        IOptionsMonitor<DelayedOptions> options,
        IHttpClientFactory httpClients,
        IServiceProvider services,
        ILogger<DelayedHandler> logger,
        TimeProvider? clock = null)
    {
        _options = options;
        _httpClients = httpClients;
        _services = services;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
    }

    public string Type => JobType.Delayed;

    // The registry is resolved when needed: it holds this handler, so it cannot be a constructor dependency.
    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = new PayloadValidation();
        Read(payload, validation);
        return validation;
    }

    /// <summary>A job to create later is checked now against what its own type checks, with the tenant's data.</summary>
    public async ValueTask<PayloadValidation> ValidateReferencesAsync(
        JsonElement payload, string tenant, CancellationToken cancellationToken)
    {
        var errors = new PayloadValidation();
        if (Read(payload, new PayloadValidation()) is JobAction job
            && _services.GetService<JobHandlerRegistry>() is { } registry && registry.TryGet(job.Type, out var handler))
        {
            using var inner = JsonDocument.Parse(job.PayloadJson);
            var found = await handler.ValidateReferencesAsync(inner.RootElement, tenant, cancellationToken);
            // The inner job's paths start at its own payload ("payload.scriptId"); here that payload is job.payload.
            foreach (var (path, messages) in found.ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add($"job.{path}", message);
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// What the action will do: <c>POST https://host/path</c> (without the query, which may hold secrets) or the
    /// type of job it creates.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        var summary = Read(payload, new PayloadValidation()) switch
        {
            HttpAction http => $"{http.Method} {http.Url.GetLeftPart(UriPartial.Path)}",
            JobAction job => $"create {job.Type} job",
            _ => null,
        };
        return summary is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = summary };
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var validation = new PayloadValidation();
        var outcome = Read(context.Payload, validation) switch
        {
            HttpAction http => await new HttpActionRunner(
                _httpClients.CreateClient(HttpClientName), _options.CurrentValue, _clock, _logger)
                .RunAsync(http, context, cancellationToken),
            JobAction job => await new JobActionRunner(_clock).RunAsync(job, context),
            _ => JobOutcome.FailedPermanently($"the payload is invalid: {Describe(validation)}"),
        };

        Report(context, outcome);
        return outcome;
    }

    private DelayedAction? Read(JsonElement payload, PayloadValidation validation) =>
        DelayedPayloadReader.Read(
            payload, new HostPolicy(_options.CurrentValue), _services.GetService<JobHandlerRegistry>(), validation);

    private void Report(JobContext context, JobOutcome outcome)
    {
        switch (outcome)
        {
            case JobOutcome.Success:
                LogDone(context.JobId);
                break;
            case JobOutcome.Failure failure:
                context.Log(failure.Reason, "error");
                LogFailed(context.JobId, failure.Permanent, failure.Reason);
                break;
        }
    }

    private static string Describe(PayloadValidation validation) => string.Join("; ",
        validation.ToDictionary().Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));
}
