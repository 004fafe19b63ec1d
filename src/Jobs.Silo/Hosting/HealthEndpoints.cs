
namespace Jobs.Silo.Hosting;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the schema is applied and the silo or client
    /// has joined the cluster (503 until then).
    /// </summary>
    public static IEndpointRouteBuilder MapJobsHealth(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new HealthReport("live")))
            .WithName("Live").WithSummary("Answers while the process runs.");
        group.MapGet("/ready", (JobsReadiness readiness) => readiness.IsReady
                ? Results.Ok(new HealthReport("ready"))
                : Results.Json(
                    new HealthReport(readiness.SchemaApplied ? "joining the cluster" : "applying the schema"),
                    statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithName("Ready").WithSummary("Answers 200 once the schema is applied and the cluster joined, 503 before.")
            .Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public sealed record HealthReport(string Status);
}
