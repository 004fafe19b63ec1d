using Jobs.Handlers;
using Jobs.JobTypes.ScriptForge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class ScriptForgeOptionsTests
{
    [Fact]
    public void Validate_WhenValuesAreWrong_NamesEachKey()
    {
        var options = new ScriptForgeOptions { Timeout = TimeSpan.Zero, MemoryLimitMegabytes = 0, MaxRecursionDepth = -1 };

        var result = new ScriptForgeOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Jobs:ScriptForge:Timeout must be more than zero and at most 00:10:00; it is 00:00:00.",
                "Jobs:ScriptForge:MemoryLimitMegabytes must be between 1 and 4,096; it is 0.",
                "Jobs:ScriptForge:MaxRecursionDepth must be between 1 and 100,000; it is -1.",
            ],
            result.Failures);
    }

    [Fact]
    public void AddJobTypes_RegistersTheScriptForgeHandler()
    {
        var services = new ServiceCollection();

        services.AddJobTypes(new ConfigurationBuilder().Build());

        Assert.Contains(services, service => service.ImplementationType == typeof(ScriptForgeHandler));
    }

    [Fact]
    public void AddScriptForge_BindsTheSectionAndRegistersTheHandler()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Jobs:ScriptForge:Timeout"] = "00:00:02",
                ["Jobs:ScriptForge:MaxStatements"] = "5000",
            })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));

        using var provider = services.AddScriptForge(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ScriptForgeOptions>>().Value;
        var registry = provider.GetRequiredService<JobHandlerRegistry>();

        Assert.Equal((TimeSpan.FromSeconds(2), 5000, 64), (options.Timeout, options.MaxStatements, options.MemoryLimitMegabytes));
        Assert.True(registry.TryGet("scriptforge", out var handler));
        Assert.IsType<ScriptForgeHandler>(handler);
    }

    [Fact]
    public void AddScriptForge_WhenSectionIsInvalid_OptionsFailNamingTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:ScriptForge:MaxStatements"] = "0" })
            .Build();

        using var provider = new ServiceCollection().AddScriptForge(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ScriptForgeOptions>>().Value);
        Assert.Contains("Jobs:ScriptForge:MaxStatements must be between 1 and 2,147,483,646; it is 0.", error.Failures);
    }
}
