using Jobs.Api.Endpoints;
using Jobs.Api.Hosting;
using Jobs.Api.Pages;
using Jobs.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobsCluster();
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
app.Run();
