using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Pages;

/// <summary>
/// Limits sign-in posts per client address (<c>Jobs:Pages:SignInAttempts</c> per <c>SignInWindow</c>), so nobody can
/// try API keys at speed through the form. Over the limit the form comes back with 429, a Retry-After header and a
/// message saying how long to wait. The address is the connection's: behind a reverse proxy, configure forwarded
/// headers so it is the browser's, or every user shares the proxy's allowance.
/// </summary>
public static partial class SignInRateLimit
{
    public const string Policy = "signin";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.AddPolicy(Policy, context =>
            {
                var pages = context.RequestServices.GetRequiredService<IOptions<JobsPagesOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = pages.SignInAttempts,
                    Window = pages.SignInWindow,
                    QueueLimit = 0,
                });
            });
        });

    /// <summary>
    /// The partition: an IPv4 address, or the /64 network of an IPv6 one, since one IPv6 client usually holds a whole
    /// /64 and could otherwise take a fresh allowance with each address.
    /// </summary>
    public static string ClientOf(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var services = context.RequestServices;
        var pages = services.GetRequiredService<IOptions<JobsPagesOptions>>().Value;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : pages.SignInWindow;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        LogSignInLimited(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimit)), ClientOf(context));

        var returnUrl = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(cancellationToken))[JobsSession.ReturnUrlParameter].ToString()
            : null;
        var html = PageHtml.SignIn(context, services.GetRequiredService<WebAssets>(), services.GetRequiredService<CustomFiles>(),
            JobsSession.SafeReturnUrl(returnUrl),
            string.Create(CultureInfo.InvariantCulture,
                $"Too many sign-in attempts from your address. Wait {seconds} seconds, then try again."));

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        PageHtml.AddSecurityHeaders(context.Response);
        await context.Response.WriteAsync(html, cancellationToken);
    }

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning,
        Message = "Sign-in to the jobs page refused from {RemoteAddress}: too many attempts")]
    private static partial void LogSignInLimited(ILogger logger, string remoteAddress);
}
