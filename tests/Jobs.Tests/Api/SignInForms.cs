using System.Net;
using System.Text.RegularExpressions;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Tests.Api;

/// <summary>Signs in through the jobs page's form over HTTP, as a browser does, without following redirects.</summary>
public static partial class SignInForms
{
    public static HttpClient Browserless(this JobsApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Posts the sign-in form with <paramref name="key"/>; returns the session cookie ("jobs.session=…").</summary>
    public static async Task<string> SignInAsync(this JobsApp app, string key)
    {
        using var client = app.Browserless();
        using var form = await client.GetAsync("/signin");
        var html = await form.Content.ReadAsStringAsync();
        var token = HiddenToken().Match(html);
        Assert.True(token.Success, "the sign-in form has an antiforgery token");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
                ["apiKey"] = key,
                ["returnUrl"] = "/jobs",
            }),
        };
        post.Headers.Add("Cookie", CookieOf(form, "jobs.form"));

        using var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return CookieOf(response, "jobs.session");
    }

    public static string CookieOf(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(value => value.Split(';')[0])
            .Single(pair => pair.StartsWith(name + "=", StringComparison.Ordinal));

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]+)">""")]
    private static partial Regex HiddenToken();
}
