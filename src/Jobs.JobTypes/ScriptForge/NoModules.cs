using Jint.Runtime.Modules;
using JsEngine = Jint.Engine;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// The module loader of every script engine: it refuses every specifier, so <c>import()</c> reaches neither the
/// file system nor the network and fails with a reason of our own rather than Jint's advice to enable modules.
/// </summary>
internal sealed class NoModules : IModuleLoader
{
    public static NoModules Instance { get; } = new();

    public ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest) =>
        throw new ModuleResolutionException("scripts cannot import modules", moduleRequest.Specifier, referencingModuleLocation, null);

    public Module LoadModule(JsEngine engine, ResolvedSpecifier resolved) =>
        throw new ModuleResolutionException("scripts cannot import modules", resolved.ModuleRequest.Specifier, null, null);
}
