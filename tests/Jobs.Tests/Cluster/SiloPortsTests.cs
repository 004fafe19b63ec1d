using System.Net;
using System.Net.Sockets;
using Jobs.Silo.Hosting;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace Jobs.Tests.Cluster;

/// <summary>A second copy of Jobs on one machine must not start on the ports of the first.</summary>
public sealed class SiloPortsTests
{
    [Theory]
    [InlineData("SiloPort")]
    [InlineData("GatewayPort")]
    public void AddJobsSilo_OnAPortWithAListener_RefusesNamingThePortAndItsSetting(string key)
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration["ConnectionStrings:Jobs"] = "Host=127.0.0.1;Port=1;Username=nobody";
            builder.Configuration["Jobs:Cluster:SiloPort"] = FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration["Jobs:Cluster:GatewayPort"] = FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration[$"Jobs:Cluster:{key}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var error = Assert.Throws<SiloPortInUseException>(() => builder.AddJobsSilo());

            Assert.Contains($"Port {port}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"Jobs__Cluster__{key}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }
}
