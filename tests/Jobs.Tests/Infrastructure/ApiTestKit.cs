using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>Keys, tenants and database counts for the API tests.</summary>
public static class ApiTestKit
{
    /// <summary>Creates a key through the API with the operator key and returns a client that sends it.</summary>
    public static async Task<HttpClient> ClientForNewKeyAsync(this JobsApp app, string tenant, string role = "tenant")
    {
        var key = await app.CreateKeyAsync(tenant, role);
        return app.ClientWithKey(key.GetProperty("key").GetString()!);
    }

    public static async Task<JsonElement> CreateKeyAsync(this JobsApp app, string tenant, string role = "tenant")
    {
        using var response = await app.Operator().PostAsJsonAsync("/api/keys", new { tenant, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"key create failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static HttpClient ClientWithKey(this JobsApp app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Runs a scalar query against the app's database.</summary>
    public static async Task<long> CountAsync(this JobsApp app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts a ProblemDetails answer with the status, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 whose errors name <paramref name="field"/>.</summary>
    public static async Task AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
    }
}
