using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Jobs.Api.Http;

/// <summary>
/// Turns failures to reach the cluster (a silo going down, a call timing out, the cluster not joined yet) into
/// 503 with Retry-After, and anything else into a 500 ProblemDetails without internals. Stack traces never leave;
/// in the Development environment (tests, a developer's machine) a 500 names the exception's type and message.
/// </summary>
public sealed partial class ClusterExceptionHandler(
    IProblemDetailsService problems, IHostEnvironment environment, ILogger<ClusterExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = IsClusterUnavailable(exception);
        if (unavailable)
        {
            LogUnavailable(exception, httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = "2";
        }
        else
        {
            LogFailed(exception, httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = httpContext.Response.StatusCode,
                Title = unavailable ? "The job cluster is unavailable" : "Unexpected error",
                Detail = unavailable
                    ? "A silo could not be reached; retry after the delay in Retry-After."
                    : environment.IsDevelopment()
                        ? $"The request failed on the server ({exception.GetType().Name}: {exception.Message}). It has been logged."
                        : "The request failed on the server. It has been logged.",
            },
        });
    }

    private static bool IsClusterUnavailable(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => true,

        // Another activation wrote the job first (it moved, or was deleted under a stale activation, which then
        // goes): the same call succeeds or answers 404 when repeated.
        Orleans.Storage.InconsistentStateException => true,
        OrleansException { InnerException: { } inner } => IsClusterUnavailable(inner),
        Npgsql.NpgsqlException { IsTransient: true } => true,
        _ => false,
    };

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster was unavailable")]
    private partial void LogUnavailable(Exception exception, string method, string path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailed(Exception exception, string method, string path);
}
