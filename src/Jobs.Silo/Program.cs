// A standalone silo: joins the cluster named in configuration and runs jobs. It serves only its health
// endpoints over HTTP; the API and pages come from Jobs.Api, which can run on its own or co-host a silo.
using Jobs.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddJobsSilo();
}
catch (SiloPortInUseException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}


var app = builder.Build();
app.MapJobsHealth();
app.Run();
return 0;
