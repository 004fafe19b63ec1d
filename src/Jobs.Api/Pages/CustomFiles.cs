using Microsoft.Extensions.Options;

namespace Jobs.Api.Pages;

/// <summary>The operator's own CSS and JavaScript for the jobs page, read from disk on each request.</summary>
public sealed class CustomFiles(IOptions<JobsPagesOptions> options, IHostEnvironment environment)
{
    public const string CssPath = "/jobs/custom.css";
    public const string JsPath = "/jobs/custom.js";

    public string? CssFile => Resolve(options.Value.CustomCss);

    public string? JsFile => Resolve(options.Value.CustomJs);

    /// <summary>The URL of a custom file with its modification time, so browsers refetch it after an edit.</summary>
    public static string Versioned(string path, string file) =>
        $"{path}?v={File.GetLastWriteTimeUtc(file).Ticks:x}";

    public static string Resolve(IHostEnvironment environment, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(environment.ContentRootPath, path));

    private string? Resolve(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Resolve(environment, path);
}
