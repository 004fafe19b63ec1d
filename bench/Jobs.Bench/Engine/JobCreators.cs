using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Engine;

namespace Jobs.Bench.Engine;

/// <summary>Creates a noop job one way or another and returns its id.</summary>
internal interface IJobCreator
{
    string Name { get; }

    Task<Guid> CreateAsync(string tenant, DateTimeOffset? runAt = null);
}

/// <summary>Through the HTTP API, as a web application or another program would.</summary>
internal sealed class HttpJobCreator(HttpClient http) : IJobCreator
{
    public string Name => "api";

    public async Task<Guid> CreateAsync(string tenant, DateTimeOffset? runAt = null)
    {
        using var response = await http.PostAsJsonAsync("/api/jobs", new { type = "noop", tenant, payload = new { }, runAt });
        response.EnsureSuccessStatusCode();
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        return job.GetProperty("id").GetGuid();
    }
}

/// <summary>Through an Orleans client calling the job grain, as a .NET program in the cluster's network would.</summary>
internal sealed class GrainJobCreator(IGrainFactory grains) : IJobCreator
{
    public string Name => "grain";

    public async Task<Guid> CreateAsync(string tenant, DateTimeOffset? runAt = null)
    {
        var id = JobIds.New();
        var spec = new JobSpec { Type = JobType.Noop, Tenant = tenant, Payload = "{}", RunAt = runAt };
        var created = await grains.GetGrain<IJobGrain>(id).CreateAsync(spec, freshId: true);
        return created.IsValid ? id : throw new InvalidOperationException("The noop job was refused.");
    }
}
