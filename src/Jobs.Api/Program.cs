using Jobs.Api.Endpoints;
using Jobs.Api.Hosting;
using Jobs.Api.Pages;
using Jobs.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddJobsCluster();
}
catch (SiloPortInUseException exception)
{
    // A second copy on one machine: say what to change, without a stack trace.
    Console.Error.WriteLine(exception.Message);
    return 1;
}

builder.AddJobsApi();
builder.AddJobsPages();

var app = builder.Build();
app.UseJobsApi();
app.MapJobsHealth();
app.MapJobEndpoints();
app.MapQueueEndpoints();
app.MapEventEndpoints();
app.MapBulkEndpoints();
app.MapFileEndpoints();
app.MapScriptEndpoints();
app.MapScriptScheduleEndpoints();
app.MapKeyEndpoints();
app.MapJobsDashboard();
app.MapJobsPages();
try
{
    app.Run();
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"{exception.Message} Choose another address with --urls (scripts/run.sh: JOBS_URL).");
    return 1;
}

return 0;
