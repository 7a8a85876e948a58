using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scanport.Surfaces.Aps.ModelDerivative;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>What the Webhooks service accepts: its systems and events, regions, and the fields of a hook.</summary>
internal static partial class HookRules
{
    public const int MaxCallbackUrlLength = 2048;
    public const int MaxHookAttributeBytes = 1024;
    public const int MaxFilterLength = 2048;
    public const int MaxTokenLength = 256;
    public const int MaxNameLength = 256;
    public const int PageSize = 200;
    public const string Derivative = "derivative";

    /// <summary>The systems served here and their events: Model Derivative's, as the APS cloud translates.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Systems = new Dictionary<string, string[]>
    {
        [Derivative] = [DerivativeEvent.Updated, DerivativeEvent.Finished],
    };

    public static readonly string[] Regions = ["US", "EMEA", "AUS", "CAN", "DEU", "IND", "JPN", "GBR"];

    /// <summary>Why a system (and event, when given) is not served here; null when it is.</summary>
    public static string? UnknownSystemOrEvent(string system, string? @event) =>
        !Systems.TryGetValue(system, out var events) ? $"System '{system}' is not supported: this server serves '{Derivative}'"
        : @event is not null && !events.Contains(@event) ? $"Event '{@event}' is not an event of system '{system}' (events: {string.Join(", ", events)})"
        : null;

    /// <summary>The region asked for: <c>x-ads-region</c> wins over <c>?region=</c>; US when neither.</summary>
    public static string? Region(HttpRequest request, out string? error)
    {
        error = null;
        string? asked = request.Headers["x-ads-region"].FirstOrDefault() is { Length: > 0 } header ? header : request.Query["region"].FirstOrDefault();
        if (string.IsNullOrEmpty(asked)) return "US";
        var region = Regions.FirstOrDefault(r => r.Equals(asked, StringComparison.OrdinalIgnoreCase));
        if (region is null) error = $"region '{asked}' is not one of {string.Join(", ", Regions)}";
        return region;
    }

    /// <summary>A workflow id as Model Derivative takes it in <c>misc.workflow</c>: up to 36 letters, digits and hyphens.</summary>
    [GeneratedRegex("^[A-Za-z0-9-]{1,36}$")]
    public static partial Regex Workflow();

    public static Uri? CallbackUrl(string? text, ref string? error)
    {
        if (string.IsNullOrWhiteSpace(text)) { error ??= "callbackUrl is required"; return null; }
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxCallbackUrlLength) { error ??= $"callbackUrl is longer than {MaxCallbackUrlLength} bytes"; return null; }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            error ??= "callbackUrl must be an absolute http or https URL";
            return null;
        }
        return url;
    }

    /// <summary>An ISO 8601 date and time; a time without an offset is UTC.</summary>
    public static DateTimeOffset? Expiry(string? text, DateTimeOffset now, ref string? error)
    {
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            error ??= "hookExpiry must be an ISO 8601 date and time";
            return null;
        }
        if (at <= now) error ??= "hookExpiry must be in the future";
        return at;
    }

    /// <summary>The hook attribute as stored: its JSON, under 1 KB as APS allows.</summary>
    public static string? Attribute(JsonElement? attribute, ref string? error)
    {
        if (attribute is not { } value) return null;
        var text = value.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(text) >= MaxHookAttributeBytes) error ??= $"hookAttribute must be less than {MaxHookAttributeBytes} bytes";
        return text;
    }

    public static string? Limited(string? value, string name, int max, ref string? error)
    {
        if (value is not null && value.Length > max) error ??= $"{name} is longer than {max} characters";
        return value;
    }

    /// <summary>A filter this server can evaluate (<see cref="HookFilter"/>).</summary>
    public static string? Filter(string? filter, ref string? error)
    {
        if (Limited(filter, "filter", MaxFilterLength, ref error) is not { } text) return null;
        if (HookFilter.Parse(text, out var invalid) is null) error ??= invalid;
        return text;
    }

    public static string? Token(string? token, ref string? error)
    {
        if (string.IsNullOrEmpty(token)) { error ??= "token is required"; return null; }
        return Limited(token, "token", MaxTokenLength, ref error);
    }

    /// <summary><c>pageState</c> is the base64 of the offset of the page it names.</summary>
    public static int? Offset(string? pageState)
    {
        if (string.IsNullOrEmpty(pageState)) return 0;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(pageState));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string PageState(int offset) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
}
