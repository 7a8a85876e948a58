using System.Globalization;

namespace Scanport.PointClouds;

/// <summary>
/// Just enough of OGC WKT (1 and 2) to find a CRS's EPSG codes and linear unit: the text becomes a tree of
/// <c>KEYWORD[...]</c> nodes, and the codes come from the AUTHORITY/ID children of the projected, geographic and
/// vertical nodes. Nothing else (datums, projection parameters) is interpreted.
/// </summary>
internal static class WellKnownText
{
    private const int MaxDepth = 32;
    private const int MaxNodes = 20_000;

    private sealed record Node(string Keyword, List<object> Items)
    {
        public IEnumerable<Node> Children => Items.OfType<Node>();

        public Node? Child(params string[] keywords) =>
            Children.FirstOrDefault(n => keywords.Contains(n.Keyword, StringComparer.OrdinalIgnoreCase));
    }

    public static LasCrs Parse(string wkt)
    {
        var root = new Parser(wkt).Root();
        if (root is null) return new LasCrs(null, null, null, null, null, null, wkt);

        var horizontal = Is(root, "COMPD_CS", "COMPOUNDCRS") ? root.Child(Projected.Concat(Geographic).ToArray()) : root;
        var vertical = Is(root, "COMPD_CS", "COMPOUNDCRS") ? root.Child("VERT_CS", "VERTCRS", "VERTICALCRS") : null;
        int? projected = null, geographic = null;
        string? unit = null;
        double? metres = null;
        if (horizontal is not null && Is(horizontal, Projected))
        {
            projected = Epsg(horizontal);
            geographic = horizontal.Child(Geographic.Concat(["BASEGEOGCRS", "BASEGEODCRS"]).ToArray()) is { } baseCrs ? Epsg(baseCrs) : null;
            (unit, metres) = LinearUnit(horizontal);
        }
        else if (horizontal is not null && Is(horizontal, Geographic))
            geographic = Epsg(horizontal);

        return new LasCrs(projected, geographic, vertical is null ? null : Epsg(vertical), unit, metres, Name(horizontal), wkt);
    }

    private static readonly string[] Projected = ["PROJCS", "PROJCRS", "PROJECTEDCRS"];
    private static readonly string[] Geographic = ["GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS"];

    private static bool Is(Node node, params string[] keywords) => keywords.Contains(node.Keyword, StringComparer.OrdinalIgnoreCase);

    private static string? Name(Node? node) => node?.Items.FirstOrDefault() as string;

    private static int? Epsg(Node node)
    {
        var id = node.Child("AUTHORITY", "ID");
        if (id is null || id.Items.Count < 2 || !string.Equals(id.Items[0] as string, "EPSG", StringComparison.OrdinalIgnoreCase)) return null;
        return int.TryParse(id.Items[1] as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) && code > 0 ? code : null;
    }

    /// <summary>WKT1 puts UNIT under PROJCS; WKT2 puts LENGTHUNIT under PROJCRS or under the CS axes.</summary>
    private static (string?, double?) LinearUnit(Node projected)
    {
        var unit = projected.Child("UNIT", "LENGTHUNIT")
            ?? projected.Children.Where(n => Is(n, "AXIS")).Select(a => a.Child("LENGTHUNIT", "UNIT")).FirstOrDefault(u => u is not null);
        if (unit is null || unit.Items.Count < 2 || unit.Items[0] is not string name) return (null, null);
        double? metres = double.TryParse(unit.Items[1] as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : null;
        return (name, metres);
    }

    /// <summary>A recursive-descent reader with caps on depth and node count, so hostile text stays cheap.</summary>
    private sealed class Parser(string text)
    {
        private int _at, _nodes;

        public Node? Root()
        {
            try { return ReadNode(0); }
            catch (FormatException) { return null; }
        }

        private Node ReadNode(int depth)
        {
            if (depth > MaxDepth || ++_nodes > MaxNodes) throw new FormatException("WKT too deep or too large.");
            var keyword = ReadBare();
            SkipSpace();
            var node = new Node(keyword, []);
            if (_at >= text.Length || text[_at] is not ('[' or '(')) return node;
            _at++;
            while (true)
            {
                SkipSpace();
                if (_at >= text.Length) throw new FormatException("WKT ends inside a node.");
                if (text[_at] is ']' or ')') { _at++; return node; }
                node.Items.Add(text[_at] == '"' ? ReadQuoted() : ReadItem(depth));
                SkipSpace();
                if (_at < text.Length && text[_at] == ',') _at++;
            }
        }

        private object ReadItem(int depth)
        {
            var start = _at;
            var bare = ReadBare();
            SkipSpace();
            if (_at < text.Length && text[_at] is '[' or '(') { _at = start; return ReadNode(depth + 1); }
            return bare;
        }

        private string ReadBare()
        {
            var start = _at;
            while (_at < text.Length && text[_at] is not ('[' or '(' or ']' or ')' or ',' or '"') && !char.IsWhiteSpace(text[_at])) _at++;
            if (_at == start) throw new FormatException("WKT item expected.");
            return text[start.._at];
        }

        private string ReadQuoted()
        {
            var start = ++_at;
            while (true)
            {
                var end = text.IndexOf('"', _at);
                if (end < 0) throw new FormatException("WKT string not closed.");
                _at = end + 1;
                if (_at < text.Length && text[_at] == '"') { _at++; continue; }
                return text[start..end].Replace("\"\"", "\"", StringComparison.Ordinal);
            }
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }
    }
}
