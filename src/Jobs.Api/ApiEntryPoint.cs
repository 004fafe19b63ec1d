namespace Jobs.Api;

/// <summary>
/// Names the API's assembly for test hosts (<c>WebApplicationFactory&lt;ApiEntryPoint&gt;</c>): the silo's and the API's
/// generated <c>Program</c> classes share a name.
/// </summary>
public sealed class ApiEntryPoint;
