using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Jobs.Api.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Jobs.Api.Pages;

/// <summary>
/// The HTML of the jobs page shell, the sign-in page and the refusal page. The jobs page's content is built in the
/// browser by the embedded script; the server adds who is signed in and what this API offers as a JSON block.
/// </summary>
public static class PageHtml
{
    /// <summary>Everything from this origin only: no inline script, no third-party host, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web);

    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        // The same value antiforgery sets on pages with forms, so it need not override (and warn).
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
    }

    public static string JobsPage(HttpContext context, WebAssets assets, CustomFiles custom, ApiFeatures features)
    {
        var user = context.User;
        var config = new
        {
            Role = user.IsOperator() ? JobsRoles.Operator : JobsRoles.Tenant,
            Tenant = user.TenantOf(),
            Types = JobTypeNames.Shown.Select(t => new { Id = t.Id, Name = t.Name }),
            Features = features.Describe(),
        };

        var head = new StringBuilder(Styles(assets, custom));
        head.Append(Script(WebAssets.BasePath + assets.EntryScript));
        if (custom.JsFile is { } js)
        {
            head.Append(Script(CustomFiles.Versioned(CustomFiles.JsPath, js)));
        }

        // The serializer escapes <, > and & in strings, so the JSON cannot close its script element.
        var json = JsonSerializer.Serialize(config, ConfigJson);
        var body = $"""
            <a class="skip-link" href="#main">Skip to the jobs</a>
            {TopBar(context)}
            <div id="app" class="layout"><noscript><p class="card">The jobs page needs JavaScript.</p></noscript></div>
            <script type="application/json" id="jobs-config">{json}</script>
            """;
        return Document("Jobs", head.ToString(), body);
    }

    public static string SignIn(HttpContext context, WebAssets assets, CustomFiles custom, string returnUrl, string? error)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var message = error is null ? "" : $"""<p class="error" role="alert" id="signin-error">{Text(error)}</p>""";
        var described = error is null ? "key-help" : "key-help signin-error";
        var body = $"""
            <main class="card" id="main">
              <h1>Sign in to Jobs</h1>
              {message}
              <form method="post" action="{JobsSession.SignInPath}">
                <input type="hidden" name="{Attr(tokens.FormFieldName)}" value="{Attr(tokens.RequestToken!)}">
                <input type="hidden" name="{JobsSession.ReturnUrlParameter}" value="{Attr(returnUrl)}">
                <label for="apiKey">API key</label>
                <input id="apiKey" name="apiKey" type="password" autocomplete="current-password" required
                       autofocus aria-describedby="{described}"{(error is null ? "" : " aria-invalid=\"true\"")}>
                <p class="muted" id="key-help">The key your operator gave you. It stays in this browser's session cookie
                  and is never put in a link.</p>
                <button type="submit" class="primary">Sign in</button>
              </form>
            </main>
            """;
        return Document("Sign in · Jobs", Styles(assets, custom), body);
    }

    public static string Forbidden(HttpContext context)
    {
        var assets = context.RequestServices.GetRequiredService<WebAssets>();
        var custom = context.RequestServices.GetRequiredService<CustomFiles>();
        var body = $"""
            {TopBar(context)}
            <main class="card" id="main">
              <h1>Not for this key</h1>
              <p>This page is for operators. You are signed in as tenant <strong>{Text(context.User.TenantOf())}</strong>.</p>
              <p><a href="/jobs">Back to your jobs</a></p>
            </main>
            """;
        return Document("Not allowed · Jobs", Styles(assets, custom), body);
    }

    private static string TopBar(HttpContext context)
    {
        var user = context.User;
        var who = user.IsOperator() ? "Operator" : $"Tenant {Text(user.TenantOf())}";
        var dashboard = user.IsOperator() ? """<a href="/dashboard/">Orleans dashboard</a>""" : "";
        var signOut = "";
        if (user.Identity?.AuthenticationType == JobsSession.CookieScheme)
        {
            var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            signOut = $"""
                <form method="post" action="/signout">
                <input type="hidden" name="{Attr(tokens.FormFieldName)}" value="{Attr(tokens.RequestToken!)}">
                <button type="submit">Sign out</button></form>
                """;
        }

        return $"""
            <header class="topbar"><a class="brand" href="/jobs">Jobs</a><span class="who">{who}</span>{dashboard}
            {signOut}</header>
            """;
    }

    private static string Styles(WebAssets assets, CustomFiles custom)
    {
        var head = new StringBuilder();
        foreach (var style in assets.EntryStyles)
        {
            head.Append($"""<link rel="stylesheet" href="{Attr(WebAssets.BasePath + style)}">""").Append('\n');
        }

        if (custom.CssFile is { } css)
        {
            head.Append($"""<link rel="stylesheet" href="{Attr(CustomFiles.Versioned(CustomFiles.CssPath, css))}">""");
        }

        return head.ToString();
    }

    private static string Document(string title, string head, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Text(title)}</title>
        <link rel="icon" href="{WebAssets.BasePath}favicon.svg" type="image/svg+xml">
        {head}
        </head>
        <body>
        {body}
        </body>
        </html>
        """;

    private static string Script(string source) => $"""<script type="module" src="{Attr(source)}"></script>""" + "\n";

    private static string Text(string value) => HtmlEncoder.Default.Encode(value);

    private static string Attr(string value) => HtmlEncoder.Default.Encode(value);
}
