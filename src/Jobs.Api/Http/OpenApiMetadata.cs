using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Jobs.Api.Http;

/// <summary>Declares the ProblemDetails answers an endpoint can give, so the OpenAPI document lists every error.</summary>
public static class OpenApiMetadata
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>401 without a valid key, 503 when the cluster cannot be reached: every authenticated endpoint.</summary>
    public static TBuilder WithCallerProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status503ServiceUnavailable);

    /// <summary>403 for a tenant key on an operator endpoint, on top of <see cref="WithCallerProblems{TBuilder}"/>.</summary>
    public static TBuilder WithOperatorProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithCallerProblems().WithProblems(StatusCodes.Status403Forbidden);

    public static TBuilder WithProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeAttribute(typeof(ProblemDetails), status, ProblemJson));
        }

        return builder;
    }

    /// <summary>400 with the fields that are wrong.</summary>
    public static TBuilder WithValidationProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeAttribute(
            typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, ProblemJson));

    /// <summary>Lists the values a string query parameter accepts, which its handler validates itself.</summary>
    public static TBuilder WithQueryValues<TBuilder>(this TBuilder builder, string parameter, IEnumerable<string> values)
        where TBuilder : IEndpointConventionBuilder
    {
        var accepted = values.ToArray();
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == parameter) is OpenApiParameter { Schema: OpenApiSchema schema })
            {
                schema.Enum = [.. accepted.Select(value => (JsonNode)JsonValue.Create(value))];
            }

            return Task.CompletedTask;
        });
    }
}
