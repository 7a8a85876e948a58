using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Identity;

/// <summary>
/// A principal of the table by its name. T's: AU admin user, AK admin API key, OU and RU operator and reviewer users
/// of site A (members of P), OUX operator of site B (member of nothing), OK and RK operator and reviewer API keys
/// (members of P), D a device bound to site A (member of P). O's principals are the same kinds, primed: AU', AK'...
/// </summary>
public sealed record Who(string Name)
{
    private string Kind => Name.TrimEnd('\'');
    public bool OtherOrg => Name.EndsWith('\'');
    public bool IsAdmin => Kind is "AU" or "AK";
    public bool IsReviewer => Kind is "RU" or "RK";
    public bool IsOperator => Kind is "OU" or "OUX" or "OK";
    public bool IsDevice => Kind == "D";
    public bool IsUser => Kind is "AU" or "OU" or "RU" or "OUX";
    /// <summary>Sees project P (and PW, which has P's members): T's admins and P's members.</summary>
    public bool SeesP => !OtherOrg && Kind != "OUX";
    /// <summary>Acts on site A: T's admins, A's users, the device bound to A. Non-admin API keys have no sites.</summary>
    public bool SeesA => !OtherOrg && Kind is "AU" or "AK" or "OU" or "RU" or "D";
    public bool SeesB => !OtherOrg && Kind is "AU" or "AK" or "OUX";
    public override string ToString() => Name;
}

/// <summary>
/// What a cell expects: a status; for listings the world's entities it shows (the others must be absent); a note when
/// a status other than 2xx still means "allowed" (authorization passed, the data refused), or when a 400 is a refusal.
/// </summary>
public sealed record Outcome(int Status, string? Note = null, string[]? Shown = null, bool RefusedByData = false)
{
    public bool IsRefusal => Status is 401 or 403 or 404 || RefusedByData;

    public static implicit operator Outcome(int status) => new(status);

    public override string ToString() =>
        Status + (Shown is null ? "" : $" showing [{string.Join(",", Shown)}]") + (Note is null ? "" : $" ({Note})");
}

/// <summary>A response as the table reads it: its status and body text.</summary>
public sealed record Answer(int Status, string Body)
{
    public static async Task<Answer> Of(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return new((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>One call of a cell: the world, the principal, its client, and the target made for this call, if any.</summary>
public sealed record Ctx(AuthorizationWorld W, Who Who, HttpClient Client, Fresh? Target)
{
    public Fresh T => Target ?? throw new InvalidOperationException("this row arranges no target");
}

/// <summary>A route of the table and the rule it follows for every principal.</summary>
public sealed record Row(string Method, string Pattern, Func<Who, Outcome> Expect, Func<Ctx, Task<Answer>> Send)
{
    /// <summary>Which target, when a route has rows for several (a scan named by its project, or by its site).</summary>
    public string Variant { get; init; } = "";
    /// <summary>A fresh target per call, for routes that change or destroy theirs.</summary>
    public Func<AuthorizationWorld, Task<Fresh>>? Arrange { get; init; }
    /// <summary>For listings: the world's entities by mark, and the ids a response lists.</summary>
    public Func<AuthorizationWorld, Dictionary<string, string>>? Marks { get; init; }
    public Func<JsonElement, IEnumerable<string>>? Listed { get; init; }

    public string Name => $"{Method} {Pattern}" + (Variant.Length > 0 ? $" [{Variant}]" : "");
}

/// <summary>A route that takes no bearer token, why, and where to call it without one (null: not called, the reason says why).</summary>
public sealed record AnonymousRow(string Methods, string Pattern, string Reason, string? Url)
{
    public string Name => $"{Methods} {Pattern}";
}

/// <summary>The rules, written once, and the calls the rows make with them.</summary>
public static partial class AuthorizationTable
{
    public static IEnumerable<Row> Rows => Platform.Concat(BodyScan).Concat(ScanAce).Concat(Vehicle360).Concat(Reconstruction).Concat(Aps).Concat(ApsIntegration);

    // Rule 3: admin routes. Without ids they act in the caller's own organization (O's admins too); on T's ids O's admins
    // get 404. A role that may never use a route is refused first, with 403, whatever ids it names: that says nothing of them.
    private static Func<Who, Outcome> Admins(int ok) => w => w.IsAdmin ? ok : 403;
    private static Func<Who, Outcome> AdminsOnT(int ok) => w => !w.IsAdmin ? 403 : w.OtherOrg ? 404 : ok;
    private static Func<Who, Outcome> Everyone(int ok) => _ => ok;

    // Rule 5: projects. Create: admins and operators (either organization, in its own); reviewers and devices 403.
    private static Func<Who, Outcome> ProjectCreators(int ok) => w => w.IsReviewer || w.IsDevice ? 403 : ok;
    private static Func<Who, Outcome> ReadP(Outcome ok) => w => w.SeesP ? ok : 404;
    private static Func<Who, Outcome> ContributeP(Outcome ok) => w => !w.SeesP ? 404 : w.IsReviewer ? 403 : ok;
    // P and the fresh projects are created by AU: no operator is their creator, so only admins change them.
    private static Func<Who, Outcome> ChangeP(int ok) => w => !w.SeesP ? 404 : w.IsAdmin ? ok : 403;
    // The same for a project OU created: its creator changes and deletes it too.
    private static Func<Who, Outcome> ChangeOwnP(int ok) => w => !w.SeesP ? 404 : w.IsAdmin || w.Name == "OU" ? ok : 403;
    private static Func<Who, Outcome> ListP => w => Show(w.SeesP ? "P" : null);

    // Rule 6: body scans named by site A.
    private static Func<Who, Outcome> ReadA(Outcome ok) => w => w.SeesA ? ok : 404;
    private static Func<Who, Outcome> ContributeA(Outcome ok) => w => !w.SeesA ? 404 : w.IsReviewer ? 403 : ok;

    // Starting a scan: reviewers never may (403 first); others are told a project or site they cannot see is not found.
    private static Func<Who, Outcome> StartNaming(Func<Who, bool> sees) => w => w.IsReviewer ? 403 : sees(w) ? 201 : 404;

    private static Outcome Show(params string?[] marks) => new(200, Shown: marks.OfType<string>().ToArray());

    private static Row R(string method, string pattern, Func<Who, Outcome> expect, Func<Ctx, Task<Answer>> send) => new(method, pattern, expect, send);

    private static Func<Ctx, Task<Answer>> Get(Func<Ctx, string> url) => c => Answer.Of(c.Client.GetAsync(url(c)));
    private static Func<Ctx, Task<Answer>> Delete(Func<Ctx, string> url) => c => Answer.Of(c.Client.DeleteAsync(url(c)));
    private static Func<Ctx, Task<Answer>> Post(Func<Ctx, string> url, Func<Ctx, object>? body = null) =>
        c => Answer.Of(body is null ? c.Client.PostAsync(url(c), null) : c.Client.PostAsJsonAsync(url(c), body(c)));
    private static Func<Ctx, Task<Answer>> Patch(Func<Ctx, string> url, Func<Ctx, object> body) => c => Answer.Of(c.Client.PatchAsJsonAsync(url(c), body(c)));
    private static Func<Ctx, Task<Answer>> Put(Func<Ctx, string> url, Func<Ctx, object> body) => c => Answer.Of(c.Client.PutAsJsonAsync(url(c), body(c)));
    private static Func<Ctx, Task<Answer>> PostForm(Func<Ctx, string> url, Func<Ctx, Dictionary<string, string>> fields) =>
        c => Answer.Of(c.Client.PostAsync(url(c), new FormUrlEncodedContent(fields(c))));

    /// <summary>A platform listing, every page of it, answered as one page: a listing's order must not decide a cell.</summary>
    /// <summary>Every page of a limit/offset listing (its array named <paramref name="array"/>), answered as one <c>{items}</c>.</summary>
    private static Func<Ctx, Task<Answer>> AllPages(string url, string array = "items") => async c =>
    {
        var items = new List<JsonElement>();
        for (var offset = 0; ; offset += 100)
        {
            var answer = await Answer.Of(c.Client.GetAsync($"{url}?limit=100&offset={offset}"));
            if (answer.Status != 200) return answer;
            var page = JsonDocument.Parse(answer.Body).RootElement;
            items.AddRange(page.GetProperty(array).EnumerateArray().Select(i => i.Clone()));
            if (offset + 100 >= page.GetProperty("total").GetInt32()) return answer with { Body = JsonSerializer.Serialize(new { items }) };
        }
    };

    private static string Unique(string what) => $"{what}-{Guid.NewGuid():N}";

    private static string IdText(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    private static IEnumerable<string> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => IdText(i.GetProperty("id")));
    private static IEnumerable<string> Data(JsonElement page) => page.GetProperty("data").EnumerateArray().Select(i => IdText(i.GetProperty("id")));
    private static IEnumerable<string> Array(JsonElement list) => list.EnumerateArray().Select(i => IdText(i.GetProperty("id")));
}
