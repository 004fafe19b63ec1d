using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jobs.Api.Auth;

/// <summary>
/// The shape of API keys and how they are hashed. A key is <c>jobs_</c> and 32 random bytes in base64url: 256 bits
/// nobody can guess, so the stored SHA-256 of it needs neither salt nor a slow hash (infra/schema/020-api-keys.sql
/// says why) and a lookup stays one index probe.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "jobs_";

    /// <summary>How many characters of a key are kept in clear so people can tell their keys apart.</summary>
    public const int ShownPrefixLength = 12;

    private const int SecretBytes = 32;
    private static readonly int KeyLength = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>True when <paramref name="key"/> could be a key this API made; anything else is refused unread.</summary>
    public static bool HasShape(string key) =>
        key.Length == KeyLength
        && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlAlphabet.Values) is false;

    public static string ShownPrefix(string key) => key[..ShownPrefixLength];

    private static class Base64UrlAlphabet
    {
        public static readonly System.Buffers.SearchValues<char> Values = System.Buffers.SearchValues.Create(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    }
}
