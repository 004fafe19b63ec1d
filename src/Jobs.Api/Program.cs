using Jobs.Api.Endpoints;
using Jobs.Api.Hosting;
using Jobs.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobsCluster();
builder.AddJobsApi();

var app = builder.Build();
app.UseJobsApi();
app.MapJobsHealth();
app.MapJobEndpoints();
app.MapQueueEndpoints();
app.MapEventEndpoints();
app.MapBulkEndpoints();
app.MapFileEndpoints();
app.MapKeyEndpoints();
app.MapJobsDashboard();
app.Run();
