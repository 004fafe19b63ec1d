using System.Globalization;
using System.Security.Claims;
using Jobs.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Pages;

/// <summary>
/// The browser's sign-in session: an API key entered once on /signin, kept server-encrypted in an HttpOnly,
/// SameSite=Strict cookie, never in a URL. Requests choose their scheme through <see cref="PolicyScheme"/>: an
/// <c>X-Api-Key</c> header goes to the API-key handler, anything else to the session cookie.
/// </summary>
public static partial class JobsSession
{
    /// <summary>The default scheme: forwards to the API-key handler or to the cookie.</summary>
    public const string PolicyScheme = "Jobs";

    public const string CookieScheme = "JobsSession";

    public const string CookieName = "jobs.session";

    public const string SignInPath = "/signin";

    public const string ReturnUrlParameter = "returnUrl";

    private const string KeyItem = ".jobs.key";
    private const string CheckedItem = ".jobs.checked";

    /// <summary>Adds the session cookie and the policy scheme that picks between it and the API key.</summary>
    public static AuthenticationBuilder AddJobsSession(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<JobsPagesOptions>>((cookie, pages) =>
            {
                cookie.ExpireTimeSpan = pages.Value.SessionIdleTimeout;
            });
        authentication.AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.ReturnUrlParameter = ReturnUrlParameter;
            cookie.Events.OnRedirectToLogin = RedirectToSignInAsync;
            cookie.Events.OnRedirectToAccessDenied = RefuseAsync;
            cookie.Events.OnValidatePrincipal = RevalidateAsync;
        });
        authentication.AddPolicyScheme(PolicyScheme, "API key or session", policy =>
        {
            policy.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieScheme;
        });
        return authentication;
    }

    /// <summary>The principal and session properties for a caller who signed in with <paramref name="key"/>.</summary>
    public static (ClaimsPrincipal Principal, AuthenticationProperties Properties) Create(
        ApiCaller caller, string key, DateTimeOffset now)
    {
        var properties = new AuthenticationProperties { IsPersistent = false, AllowRefresh = true };
        properties.Items[KeyItem] = key;
        properties.Items[CheckedItem] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        return (Principal(caller), properties);
    }

    /// <summary>Only local paths, so a crafted link cannot send a signed-in browser elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Contains('\r', StringComparison.Ordinal) && !url.Contains('\n', StringComparison.Ordinal)
            ? url
            : "/jobs";

    private static ClaimsPrincipal Principal(ApiCaller caller) => new(new ClaimsIdentity(
        [new Claim(JobsClaims.Tenant, caller.Tenant), new Claim(ClaimTypes.Role, caller.Role)], CookieScheme));

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        // API routes keep their contract: 401 as ProblemDetails, saying whether the key is missing or not accepted.
        if (IsApi(context.Request))
        {
            return ApiKeyAuthenticationHandler.WriteUnauthorizedAsync(context.HttpContext);
        }

        var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        context.Response.Redirect($"{SignInPath}?{ReturnUrlParameter}={Uri.EscapeDataString(here)}");
        return Task.CompletedTask;
    }

    private static async Task RefuseAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsApi(context.Request))
        {
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        PageHtml.AddSecurityHeaders(context.Response);
        await context.Response.WriteAsync(PageHtml.Forbidden(context.HttpContext), context.HttpContext.RequestAborted);
    }

    /// <summary>
    /// Checks the session's key again once <see cref="JobsPagesOptions.RevalidateAfter"/> has passed: a revoked key
    /// ends the session, and a key whose role or tenant changed carries the change into the session.
    /// </summary>
    private static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var every = services.GetRequiredService<IOptions<JobsPagesOptions>>().Value.RevalidateAfter;
        var items = context.Properties.Items;
        if (items.TryGetValue(CheckedItem, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var ticks)
            && now.UtcTicks - ticks < every.Ticks)
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobsSession));
        var caller = items.TryGetValue(KeyItem, out var key) && key is { Length: > 0 }
            ? await services.GetRequiredService<IApiKeyResolver>().ResolveAsync(key, context.HttpContext.RequestAborted)
            : null;
        if (caller is null)
        {
            LogSessionEnded(logger, context.Principal?.TenantOf() ?? "");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        items[CheckedItem] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        context.ReplacePrincipal(Principal(caller));
        context.ShouldRenew = true;
    }
}
