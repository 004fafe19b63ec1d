using System.Net;
using System.Text;
using Jobs.Api.Pages;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Jobs.Tests.Api;

/// <summary>Sign-in posts are limited per client address (here 3 per 10 minutes); over the limit the form says so.</summary>
public sealed class SignInLimitTests(SignInLimitTests.LimitedApp app) : IClassFixture<SignInLimitTests.LimitedApp>
{
    [Fact]
    public async Task SignIn_OverTheLimit_Answers429WithRetryAfterAndTheFormSayingHowLongToWait()
    {
        var address = IPAddress.Parse("203.0.113.10");
        for (var i = 0; i < 3; i++)
        {
            var allowed = await PostSignInAsync(address, JobsApp.OperatorKey);
            Assert.NotEqual(StatusCodes.Status429TooManyRequests, allowed.Response.StatusCode);
        }

        var refused = await PostSignInAsync(address, JobsApp.OperatorKey);

        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        var retryAfter = int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.StartsWith("text/html", refused.Response.ContentType, StringComparison.Ordinal);
        var html = await new StreamReader(refused.Response.Body).ReadToEndAsync();
        Assert.Contains("""role="alert" id="signin-error">Too many sign-in attempts from your address. Wait """, html,
            StringComparison.Ordinal);
        Assert.Contains($"Wait {retryAfter} seconds, then try again.", html, StringComparison.Ordinal);
        Assert.Contains("""<form method="post" action="/signin">""", html, StringComparison.Ordinal);
        Assert.Contains("""name="returnUrl" value="/jobs?type=send">""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FromAnotherAddress_HasItsOwnAllowance()
    {
        var busy = IPAddress.Parse("203.0.113.20");
        for (var i = 0; i < 4; i++)
        {
            await PostSignInAsync(busy, "wrong");
        }

        var other = await PostSignInAsync(IPAddress.Parse("203.0.113.21"), "wrong");
        var again = await PostSignInAsync(busy, "wrong");

        Assert.NotEqual(StatusCodes.Status429TooManyRequests, other.Response.StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, again.Response.StatusCode);
    }

    [Fact]
    public async Task SignIn_FromOneIpv6Network_SharesOneAllowance()
    {
        for (var i = 0; i < 3; i++)
        {
            await PostSignInAsync(IPAddress.Parse($"2001:db8:5:7::{i + 1}"), "wrong");
        }

        var sameNetwork = await PostSignInAsync(IPAddress.Parse("2001:db8:5:7::99"), "wrong");
        var otherNetwork = await PostSignInAsync(IPAddress.Parse("2001:db8:5:8::1"), "wrong");

        Assert.Equal(StatusCodes.Status429TooManyRequests, sameNetwork.Response.StatusCode);
        Assert.NotEqual(StatusCodes.Status429TooManyRequests, otherNetwork.Response.StatusCode);
    }

    [Fact]
    public void ClientOf_MapsIpv4InIpv6ToIpv4_AndIpv6ToItsSlash64()
    {
        var mapped = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("::ffff:198.51.100.4") } };
        var ipv6 = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd") } };

        Assert.Equal("198.51.100.4", SignInRateLimit.ClientOf(mapped));
        Assert.Equal("2001:db8:1:2::/64", SignInRateLimit.ClientOf(ipv6));
    }

    /// <summary>A sign-in post from <paramref name="address"/>. No antiforgery token: the limit counts every post.</summary>
    private Task<HttpContext> PostSignInAsync(IPAddress address, string key) =>
        app.Server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = address;
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/signin";
            context.Request.ContentType = "application/x-www-form-urlencoded";
            var form = Encoding.UTF8.GetBytes($"apiKey={Uri.EscapeDataString(key)}&returnUrl=%2Fjobs%3Ftype%3Dsend");
            context.Request.Body = new MemoryStream(form);
            context.Request.ContentLength = form.Length;
        });

    public sealed class LimitedApp : JobsApp
    {
        public LimitedApp()
        {
            With("Jobs:Pages:SignInAttempts", "3");
            With("Jobs:Pages:SignInWindow", "00:10:00");
        }
    }
}
