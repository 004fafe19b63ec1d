using Jobs.JobTypes.Delayed;
using Jobs.JobTypes.Tests.Files;
using static Jobs.JobTypes.Tests.Delayed.DelayedTestKit;

namespace Jobs.JobTypes.Tests.Delayed;

/// <summary>Sets a process-wide environment variable, so it runs in the collection nothing runs beside.</summary>
[Collection(nameof(LargeFileTests))]
public sealed class AllowedHostsEnvironmentTests(HttpEndpoints endpoints) : IClassFixture<HttpEndpoints>
{
    [Fact]
    public async Task ExecuteAsync_WhenTheEnvironmentAllowsTheHost_ReachesIt()
    {
        var url = endpoints.Server.Url("ok").ToString();
        Environment.SetEnvironmentVariable(DelayedOptions.AllowedHostsVariable, "api.example.com, 127.0.0.1");
        try
        {
            var handler = Handler(Allowing("billing.internal"));

            var outcome = await handler.ExecuteAsync(Attempt(new { http = new { url } }), default);

            Assert.Equal("hello", AssertCompleted(outcome).GetProperty("body").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DelayedOptions.AllowedHostsVariable, null);
        }
    }
}
