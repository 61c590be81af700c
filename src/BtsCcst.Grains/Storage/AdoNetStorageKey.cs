using System.Text;
using Orleans.Storage;

namespace BtsCcst.Grains.Storage;

/// <summary>
/// The columns that identify one grain's row in <c>OrleansStorage</c>, computed as
/// Microsoft.Orleans.Persistence.AdoNet (10.x) computes them, so that rows written by the group-commit
/// writer and rows written by that provider are the same rows (both are read by the provider).
/// </summary>
/// <remarks>
/// The provider's rules, as read in its source (AdoNetGrainStorage, AdoGrainKey):
/// <list type="bullet">
/// <item>Guid key: N0 and N1 are the two little-endian 64-bit halves of <c>Guid.ToByteArray()</c>;
/// integer key: N0 = 0, N1 = the key; in both cases the extension string is the key extension (or NULL).
/// Any other key: N0 = N1 = 0 and the extension string is the whole key.</item>
/// <item>GrainIdHash hashes the guid's bytes, or the integer's 8 bytes, followed by the UTF-8 of the
/// extension; for other keys the UTF-8 of the key. The byte array is reversed first on little-endian
/// machines.</item>
/// <item>GrainTypeString is the state name given to the storage (not the grain class), and
/// GrainTypeHash hashes its UTF-8 bytes. A name holding a generic arity mark (a backtick) is
/// rewritten by the provider; <see cref="TryCreate"/> declines those, and the caller lets the
/// provider write them.</item>
/// <item>Both hashes are the provider's default hasher (<see cref="OrleansDefaultHasher"/>: Orleans'
/// StableHash, cast to a signed 32-bit integer); the registration configures no other.</item>
/// </list>
/// Tests (GroupCommitFormatTests) check each kind of key against the provider itself.
/// </remarks>
internal sealed record AdoNetStorageKey(int GrainIdHash, long N0, long N1, int GrainTypeHash, string GrainTypeString, string? Extension)
{
    private static readonly OrleansDefaultHasher Hasher = new();

    public static bool TryCreate(string stateName, GrainId grainId, out AdoNetStorageKey key)
    {
        key = null!;
        if (stateName.Contains('`', StringComparison.Ordinal))
        {
            return false;
        }

        long n0;
        long n1;
        string? extension;
        byte[] idBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            var guidBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(guidBytes, 0);
            n1 = BitConverter.ToInt64(guidBytes, 8);
            idBytes = WithExtension(guidBytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n0 = 0;
            n1 = integer;
            idBytes = WithExtension(BitConverter.GetBytes(integer), extension);
        }
        else
        {
            n0 = 0;
            n1 = 0;
            extension = grainId.Key.ToString();
            idBytes = Encoding.UTF8.GetBytes(extension);
        }

        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(idBytes);
        }

        key = new AdoNetStorageKey(Hasher.Hash(idBytes), n0, n1, Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName, extension);
        return true;
    }

    private static byte[] WithExtension(byte[] keyBytes, string? extension) =>
        extension is null ? keyBytes : [.. keyBytes, .. Encoding.UTF8.GetBytes(extension)];
}
