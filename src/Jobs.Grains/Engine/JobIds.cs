using System.Security.Cryptography;
using System.Text;

namespace Jobs.Engine;

/// <summary>Where job ids come from.</summary>
public static class JobIds
{
    /// <summary>A new id: time-ordered (UUID version 7), so ids sort roughly by creation.</summary>
    public static Guid New() => Guid.CreateVersion7();

    /// <summary>
    /// The id of the job a tenant created with an idempotency key. Deriving the id from the key, rather than
    /// looking the key up, makes "same key, same job" hold without a lookup table: the job grain is the lock.
    /// </summary>
    public static Guid FromIdempotencyKey(string tenant, string key) => NameBased($"idempotency\n{tenant}\n{key}");

    /// <summary>A stable id for a name (for example a schedule occurrence): the same name always gives the same id.</summary>
    public static Guid NameBased(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];

        // RFC 9562 version 8 (custom) with the RFC variant bits, so it never collides with version 7 ids.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
