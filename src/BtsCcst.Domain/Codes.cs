using System.Text;

namespace BtsCcst.Domain;

/// <summary>
/// Converts enum members to and from the UPPER_SNAKE codes of the exchange files
/// (e.g. <c>SecondGroupe</c> ⇄ <c>SECOND_GROUPE</c>, <c>EcoGestion</c> ⇄ <c>ECO_GESTION</c>).
/// </summary>
public static class Codes
{
    public static string ToCode<T>(this T value) where T : struct, Enum
    {
        var name = value.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(name[i]));
        }
        return sb.ToString();
    }

    public static bool TryParse<T>(string? code, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(code)) return false;
        var compact = code.Trim().Replace("_", "", StringComparison.Ordinal);
        return !compact.All(char.IsDigit)
            && Enum.TryParse(compact, ignoreCase: true, out value)
            && Enum.IsDefined(value)
            && value.ToCode() == code.Trim().ToUpperInvariant();
    }

    public static string AllCodes<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => v.ToCode()));
}
