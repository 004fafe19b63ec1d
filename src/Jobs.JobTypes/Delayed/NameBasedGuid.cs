using System.Security.Cryptography;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Name-based UUIDs (RFC 9562, version 8 with SHA-256 as its section B.2 shows): the same namespace and name
/// always give the same id, and different names give ids as unlikely to collide as random ones.
/// </summary>
internal static class NameBasedGuid
{
    public static Guid Create(Guid @namespace, ReadOnlySpan<byte> name)
    {
        var input = new byte[16 + name.Length];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input.AsSpan(16));

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
