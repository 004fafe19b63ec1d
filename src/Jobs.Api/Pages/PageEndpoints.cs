using Jobs.Api.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace Jobs.Api.Pages;

/// <summary>The jobs page, its assets, the operator's custom files, and sign-in and sign-out.</summary>
public static partial class PageEndpoints
{
    public static IEndpointRouteBuilder MapJobsPageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Redirect("/jobs")).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/jobs", JobsPage).RequireAuthorization(JobsPolicies.Caller).ExcludeFromDescription();
        endpoints.MapGet(WebAssets.BasePath + "{*path}", Asset).AllowAnonymous().ExcludeFromDescription();

        // Like the page's own assets these are public: branding styles the sign-in page too, and a script that every
        // tenant's browser runs holds nothing secret. A session ending mid-load then cannot turn them into a redirect.
        endpoints.MapGet(CustomFiles.CssPath, (CustomFiles custom) => CustomFile(custom.CssFile, "text/css"))
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet(CustomFiles.JsPath, (CustomFiles custom) => CustomFile(custom.JsFile, "text/javascript"))
            .AllowAnonymous().ExcludeFromDescription();

        endpoints.MapGet(JobsSession.SignInPath, SignInForm).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(JobsSession.SignInPath, SignInAsync).AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(SignInRateLimit.Policy).ExcludeFromDescription();
        endpoints.MapPost("/signout", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult JobsPage(HttpContext context, WebAssets assets, CustomFiles custom, ApiFeatures features)
    {
        PageHtml.AddSecurityHeaders(context.Response);
        return Results.Content(PageHtml.JobsPage(context, assets, custom, features), "text/html; charset=utf-8");
    }

    private static IResult Asset(string path, HttpContext context, WebAssets assets)
    {
        if (!assets.TryGet(path, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = assets.IsImmutable(path) ? "public, max-age=31536000, immutable" : "public, max-age=3600";
        headers.XContentTypeOptions = "nosniff";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static IResult CustomFile(string? file, string contentType)
    {
        if (file is null || !File.Exists(file))
        {
            return Results.NotFound();
        }

        var modified = File.GetLastWriteTimeUtc(file);
        return Results.File(file, contentType, lastModified: modified,
            entityTag: new EntityTagHeaderValue($"\"{modified.Ticks:x}\""));
    }

    private static IResult SignInForm(HttpContext context, WebAssets assets, CustomFiles custom, string? returnUrl)
    {
        var target = JobsSession.SafeReturnUrl(returnUrl);
        if (context.User.Identity?.IsAuthenticated == true)
        {
            return Results.Redirect(target);
        }

        return Html(context, PageHtml.SignIn(context, assets, custom, target, error: null));
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, IApiKeyResolver keys, WebAssets assets, CustomFiles custom,
        TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(PageEndpoints));
        if (!context.Request.HasFormContentType)
        {
            return Html(context, PageHtml.SignIn(context, assets, custom, "/jobs", "Sign in with the form on this page."),
                StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var target = JobsSession.SafeReturnUrl(form[JobsSession.ReturnUrlParameter]);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Html(context, PageHtml.SignIn(context, assets, custom, target,
                "The form had expired. Enter your key again."), StatusCodes.Status400BadRequest);
        }

        var key = form["apiKey"].ToString().Trim();
        var caller = key.Length > 0 ? await keys.ResolveAsync(key, context.RequestAborted) : null;
        if (caller is null)
        {
            LogSignInRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Html(context, PageHtml.SignIn(context, assets, custom, target,
                "That API key is not valid. Check it and try again."), StatusCodes.Status401Unauthorized);
        }

        var (principal, properties) = JobsSession.Create(caller, key, clock.GetUtcNow());
        await context.SignInAsync(JobsSession.CookieScheme, principal, properties);
        LogSignedIn(logger, caller.Role, caller.Tenant);
        return Results.Redirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        // A cross-site form cannot carry the token, so nobody can sign a browser out from elsewhere.
        if (await antiforgery.IsRequestValidAsync(context))
        {
            await context.SignOutAsync(JobsSession.CookieScheme);
        }

        return Results.Redirect(JobsSession.SignInPath);
    }

    private static IResult Html(HttpContext context, string html, int status = StatusCodes.Status200OK)
    {
        PageHtml.AddSecurityHeaders(context.Response);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
