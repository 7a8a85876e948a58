using System.Text;

namespace Scanport.PointClouds;

/// <summary>The ASCII fields of LAS: NUL-padded, sometimes with garbage after the NUL; control characters become '?'.</summary>
internal static class LasText
{
    public static string Decode(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        if (end >= 0) field = field[..end];
        var text = Encoding.ASCII.GetString(field);
        return string.Create(text.Length, text, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) && !char.IsWhiteSpace(s[i]) ? '?' : s[i];
        }).Trim();
    }
}
