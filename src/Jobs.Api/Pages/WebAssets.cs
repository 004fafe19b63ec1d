using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;

namespace Jobs.Api.Pages;

/// <summary>
/// The built jobs page (src/Jobs.Web, embedded by Jobs.Web.targets as <c>JobsWeb/…</c> resources), held in memory
/// and served under <see cref="BasePath"/>. Vite's manifest names the hashed entry script and style sheet.
/// </summary>
public sealed class WebAssets
{
    public const string BasePath = "/jobs/assets/";

    private const string Prefix = "JobsWeb/";
    private const string ManifestName = ".vite/manifest.json";
    private const string EntrySource = "src/main.js";

    private readonly FrozenDictionary<string, Asset> _assets;
    private readonly FrozenSet<string> _hashed;

    public WebAssets()
    {
        var assembly = typeof(WebAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var path = name[Prefix.Length..];
            var contentType = types.TryGetContentType(path, out var type) ? type : "application/octet-stream";
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..16]}\"";
            assets[path] = new Asset(buffer.ToArray(), contentType, etag);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
        (EntryScript, EntryStyles, _hashed) = ReadManifest();
    }

    /// <summary>The page's script, relative to <see cref="BasePath"/>.</summary>
    public string EntryScript { get; }

    /// <summary>The page's style sheets, relative to <see cref="BasePath"/>.</summary>
    public IReadOnlyList<string> EntryStyles { get; }

    /// <summary>An asset by its path under <see cref="BasePath"/>; the manifest itself is not served.</summary>
    public bool TryGet(string path, out Asset asset)
    {
        asset = default;
        return !path.StartsWith(".vite/", StringComparison.Ordinal) && _assets.TryGetValue(path, out asset);
    }

    private (string Script, IReadOnlyList<string> Styles, FrozenSet<string> Hashed) ReadManifest()
    {
        if (!_assets.TryGetValue(ManifestName, out var manifest))
        {
            throw new InvalidOperationException(
                "The jobs page is not in this build (no JobsWeb/.vite/manifest.json resource): "
                + "build Jobs.Api with Node.js and npm on PATH.");
        }

        using var document = JsonDocument.Parse(manifest.Content);
        var entry = document.RootElement.GetProperty(EntrySource);

        // Every file the manifest names carries a content hash in its name; files from public/ do not.
        var hashed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in document.RootElement.EnumerateObject().Select(p => p.Value))
        {
            hashed.Add(chunk.GetProperty("file").GetString()!);
            foreach (var list in new[] { "css", "assets" })
            {
                if (chunk.TryGetProperty(list, out var files))
                {
                    hashed.UnionWith(files.EnumerateArray().Select(f => f.GetString()!));
                }
            }
        }

        var styles = entry.TryGetProperty("css", out var css)
            ? css.EnumerateArray().Select(s => s.GetString()!).ToArray()
            : [];
        return (entry.GetProperty("file").GetString()!, styles, hashed.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>Whether an asset's name carries its content hash, so browsers may keep it for good.</summary>
    public bool IsImmutable(string path) => _hashed.Contains(path);

    public readonly record struct Asset(byte[] Content, string ContentType, string ETag);
}
