namespace Jobs.Handlers;

/// <summary>Problems found in a payload, keyed by the path of the field (for example <c>payload.to[1]</c>).</summary>
public sealed class PayloadValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public static PayloadValidation Valid => new();

    public bool IsValid => _errors.Count == 0;

    /// <summary>Records a problem with the field at <paramref name="path"/> (relative to the payload).</summary>
    public PayloadValidation Add(string path, string message)
    {
        var key = string.IsNullOrEmpty(path) ? "payload" : $"payload.{path}";
        if (!_errors.TryGetValue(key, out var list))
        {
            _errors[key] = list = [];
        }

        list.Add(message);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
