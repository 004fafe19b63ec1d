using System.Net;
using System.Text.RegularExpressions;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Jobs.Tests.Api;

/// <summary>The API describes itself: a valid OpenAPI document naming every route and error, and a local /docs page.</summary>
public sealed partial class OpenApiTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task Document_IsValid_AndNamesEveryRouteWithItsErrorsAndSecurity()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        var read = await OpenApiDocument.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "json");

        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.Contains("ApiKey", document.Components!.SecuritySchemes!.Keys);
        foreach (var (method, pattern) in ApiRoutes())
        {
            var path = NormalizedPath(pattern);
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is not in the document");
            var operation = item!.Operations![HttpMethod.Parse(method)];
            Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{method} {path} has no summary");
            Assert.True(operation.Responses!.ContainsKey("401"), $"{method} {path} does not declare 401");
            Assert.True(operation.Responses.ContainsKey("503"), $"{method} {path} does not declare 503");
            Assert.True(operation.Responses.Keys.Any(code => code.StartsWith('2')), $"{method} {path} declares no success");
            Assert.NotEmpty(operation.Security ?? []);
            foreach (var (code, problem) in operation.Responses.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.True(problem.Content?.ContainsKey("application/problem+json") == true,
                    $"{method} {path} {code} is not declared as ProblemDetails");
            }
        }

        Assert.DoesNotContain(document.Paths.Keys, path => path.StartsWith("/dashboard", StringComparison.Ordinal));
        var create = document.Paths["/api/jobs"]!.Operations![HttpMethod.Post];
        Assert.NotNull(create.RequestBody);
        Assert.Contains("400", create.Responses!.Keys);
        Assert.Contains("413", create.Responses.Keys);
    }

    [Fact]
    public async Task Document_ListJobs_DescribesSortWithItsValues()
    {
        var text = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        var document = (await OpenApiDocument.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "json")).Document!;

        var list = document.Paths["/api/jobs"]!.Operations![HttpMethod.Get];
        var sort = list.Parameters!.Single(p => p.Name == "sort");
        Assert.Equal(ParameterLocation.Query, sort.In);
        Assert.Contains("finished_desc", sort.Description, StringComparison.Ordinal);
        Assert.Equal(["created_desc", "created_asc", "finished_desc", "finished_asc"],
            sort.Schema!.Enum!.Select(value => value.GetValue<string>()));
        Assert.Contains("400", list.Responses!.Keys);
    }

    [Fact]
    public async Task DocsPage_LoadsOnlyFromThisServer()
    {
        var client = app.CreateClient();

        using var page = await client.GetAsync("/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            Assert.False(asset.Contains("//", StringComparison.Ordinal), $"the page loads {asset} from elsewhere");
            using var served = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), asset));
            Assert.True(served.IsSuccessStatusCode, $"{asset} is not served: {(int)served.StatusCode}");
        }

        var script = await client.GetStringAsync("/docs/index.js");
        Assert.Contains("/openapi/v1.json", script, StringComparison.Ordinal);
        Assert.DoesNotContain("validatorUrl\":\"http", script, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", ConfigObject(script), StringComparison.Ordinal);
    }

    private static string ConfigObject(string script)
    {
        var start = script.IndexOf("var configObject = ", StringComparison.Ordinal);
        var end = script.IndexOf(';', start);
        return script[start..end];
    }

    private static string NormalizedPath(string pattern)
    {
        var path = RouteConstraint().Replace(pattern, "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private IEnumerable<(string Method, string Pattern)> ApiRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (m, e.RoutePattern.RawText!)));

    [GeneratedRegex(@"(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex(@":[a-z]+\}")]
    private static partial Regex RouteConstraint();
}
