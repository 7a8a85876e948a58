using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// A hook's <c>filter</c>: a JSONPath filter on the callback's <c>payload</c> (<c>$[?(@.Payload.status in ['failed','timeout'])]</c>),
/// or a JSON array of them that must all match, as APS reads them (Jayway's syntax). The subset understood: paths of
/// <c>@</c> with <c>.name</c>, <c>['name']</c>, <c>[n]</c> and <c>[*]</c>; literals (strings in either quote, numbers,
/// <c>true</c>, <c>false</c>, <c>null</c>, lists); <c>== != &lt; &lt;= &gt; &gt;= in nin</c>, <c>&amp;&amp; || !</c>, parentheses;
/// a path alone tests that it exists.
/// </summary>
internal sealed class HookFilter
{
    private readonly Func<JsonNode, bool>[] _all;

    private HookFilter(Func<JsonNode, bool>[] all) => _all = all;

    public bool Matches(JsonNode payload) => _all.All(f => f(payload));

    /// <summary>The filter, or null with the reason it is not one this server reads.</summary>
    public static HookFilter? Parse(string text, out string? error)
    {
        error = null;
        try
        {
            var trimmed = text.Trim();
            string[] expressions = trimmed.StartsWith('[') && JsonNode.Parse(trimmed) is JsonArray list
                ? [.. list.Select(e => e?.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : throw new FormatException("a filter list holds strings"))]
                : [trimmed];
            if (expressions.Length == 0) throw new FormatException("the filter list is empty");
            return new HookFilter([.. expressions.Select(e => new Parser(e).Filter())]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = $"filter is not a JSONPath filter this server reads ({e.Message}), like $[?(@.Payload.status == 'failed')]";
            return null;
        }
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public Func<JsonNode, bool> Filter()
        {
            Expect("$"); Expect("["); Expect("?"); Expect("(");
            var expression = Or();
            Expect(")"); Expect("]");
            Skip();
            if (_at != text.Length) throw new FormatException($"unexpected '{text[_at..]}'");
            return expression;
        }

        private Func<JsonNode, bool> Or()
        {
            var left = And();
            while (Accept("||")) { var l = left; var r = And(); left = n => l(n) || r(n); }
            return left;
        }

        private Func<JsonNode, bool> And()
        {
            var left = Unary();
            while (Accept("&&")) { var l = left; var r = Unary(); left = n => l(n) && r(n); }
            return left;
        }

        private Func<JsonNode, bool> Unary()
        {
            if (Accept("!")) { var inner = Unary(); return n => !inner(n); }
            if (Accept("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }
            var left = Operand();
            string? op = null;
            foreach (var candidate in new[] { "==", "!=", "<=", ">=", "<", ">", "nin", "in" })
                if (Accept(candidate, word: candidate is "in" or "nin")) { op = candidate; break; }
            if (op is null) return n => left(n).Any(v => v is not null && !(v.GetValueKind() == JsonValueKind.False));
            var right = Operand();
            return op switch
            {
                "in" => n => In(left(n), right(n)),
                "nin" => n => !In(left(n), right(n)),
                _ => n => left(n).Any(l => right(n).Any(r => Compare(l, op, r))),
            };
        }

        private static bool In(List<JsonNode?> values, List<JsonNode?> set)
        {
            var members = set.Count == 1 && set[0] is JsonArray array ? [.. array] : set;
            return values.Any(v => members.Any(m => Compare(v, "==", m)));
        }

        private static bool Compare(JsonNode? left, string op, JsonNode? right)
        {
            var l = left?.GetValueKind() ?? JsonValueKind.Null;
            var r = right?.GetValueKind() ?? JsonValueKind.Null;
            int? order = (l, r) switch
            {
                (JsonValueKind.Number, JsonValueKind.Number) => left!.GetValue<double>().CompareTo(right!.GetValue<double>()),
                (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(left!.GetValue<string>(), right!.GetValue<string>()),
                _ => null,
            };
            var equal = order == 0 || (order is null && l == r && (l is JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False
                || JsonNode.DeepEquals(left, right)));
            return op switch
            {
                "==" => equal,
                "!=" => !equal,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                _ => false,
            };
        }

        /// <summary>A path of <c>@</c>, a literal, or a list of literals: what it yields for a payload.</summary>
        private Func<JsonNode, List<JsonNode?>> Operand()
        {
            Skip();
            if (Accept("@")) return Path();
            if (Accept("["))
            {
                var items = new JsonArray();
                if (!Accept("]"))
                {
                    do items.Add(Literal()); while (Accept(","));
                    Expect("]");
                }
                return _ => [items];
            }
            var literal = Literal();
            return _ => [literal];
        }

        private Func<JsonNode, List<JsonNode?>> Path()
        {
            var steps = new List<Func<JsonNode?, IEnumerable<JsonNode?>>>();
            while (true)
            {
                if (Peek(".") && !Peek(".."))
                {
                    _at++;
                    if (Accept("*")) steps.Add(Children);
                    else { var name = Name(); steps.Add(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? [v] : []); }
                }
                else if (Peek("["))
                {
                    _at++;
                    Skip();
                    if (Accept("*")) steps.Add(Children);
                    else if (Peek("'") || Peek("\""))
                    {
                        var name = Quoted();
                        steps.Add(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? [v] : []);
                    }
                    else
                    {
                        var index = (int)Number();
                        steps.Add(n => n is JsonArray a && (index < 0 ? a.Count + index : index) is var i && i >= 0 && i < a.Count ? [a[i]] : []);
                    }
                    Expect("]");
                }
                else break;
            }
            return root =>
            {
                IEnumerable<JsonNode?> values = [root];
                foreach (var step in steps) values = values.SelectMany(step);
                return [.. values];
            };
        }

        private static IEnumerable<JsonNode?> Children(JsonNode? node) => node switch
        {
            JsonArray a => a,
            JsonObject o => o.Select(p => p.Value),
            _ => [],
        };

        private JsonNode? Literal()
        {
            Skip();
            if (Peek("'") || Peek("\"")) return JsonValue.Create(Quoted());
            if (Accept("true", word: true)) return JsonValue.Create(true);
            if (Accept("false", word: true)) return JsonValue.Create(false);
            if (Accept("null", word: true)) return null;
            return JsonValue.Create(Number());
        }

        private double Number()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] is '-' or '+' or '.' or 'e' or 'E')) _at++;
            return double.TryParse(text.AsSpan(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value : throw new FormatException($"expected a value at {start}");
        }

        private string Quoted()
        {
            var quote = text[_at++];
            var end = text.IndexOf(quote, _at);
            if (end < 0) throw new FormatException("unterminated string");
            var value = text[_at..end];
            _at = end + 1;
            return value;
        }

        private string Name()
        {
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '-' or '$')) _at++;
            return _at > start ? text[start.._at] : throw new FormatException($"expected a name at {start}");
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private bool Peek(string token) => string.CompareOrdinal(text, _at, token, 0, token.Length) == 0;

        private bool Accept(string token, bool word = false)
        {
            Skip();
            if (!Peek(token)) return false;
            if (word && _at + token.Length < text.Length && char.IsLetterOrDigit(text[_at + token.Length])) return false;
            _at += token.Length;
            return true;
        }

        private void Expect(string token)
        {
            if (!Accept(token)) throw new FormatException($"expected '{token}' at {_at}");
        }
    }
}
