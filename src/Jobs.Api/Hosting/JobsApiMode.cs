namespace Jobs.Api.Hosting;

/// <summary>
/// How the API reaches the cluster. <c>Jobs:Mode</c> = <c>embedded</c> (default) co-hosts a silo in this process;
/// <c>client</c> joins a cluster of separate silos (src/Jobs.Silo) as an Orleans client.
/// </summary>
public enum JobsApiMode
{
    Embedded,
    Client,
}
