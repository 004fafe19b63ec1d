using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Jobs.Api.Auth;

/// <summary>
/// The data protection key ring in PostgreSQL (jobs.data_protection_keys, infra/schema/050-data-protection.sql), so
/// every API process on the database protects and reads the sign-in cookie with the same keys. The key manager calls
/// this synchronously, and rarely: on start, when it makes or revokes a key, and when its cached ring expires.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM jobs.data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand(
            "INSERT INTO jobs.data_protection_keys (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrEmpty(friendlyName) ? "element" : friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}

public static class SessionKeyRing
{
    /// <summary>
    /// The data protection application name. Every API process must use the same one: it isolates the protected
    /// payloads, so processes with different names cannot read each other's cookies even with one key ring.
    /// </summary>
    public const string ApplicationName = "Jobs";

    /// <summary>Data protection with its key ring in the shared database and one application name for all processes.</summary>
    public static IServiceCollection AddJobsDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<PostgresXmlRepository>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((options, repository) => options.XmlRepository = repository);
        return services;
    }
}
