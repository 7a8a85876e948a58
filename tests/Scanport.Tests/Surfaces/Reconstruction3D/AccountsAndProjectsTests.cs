using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

[Collection(AppCollection.Name)]
public sealed class AccountsAndProjectsTests(ScanportApp app)
{
    private const string Base = ReconCalls.Base;

    [Fact]
    public async Task A_user_registers_signs_in_with_the_password_form_and_sees_themselves()
    {
        using var anonymous = app.Client();
        var name = $"ada_{Guid.NewGuid():N}"[..16];
        var registered = await (await anonymous.PostAsJsonAsync($"{Base}/auth/register",
            new { username = name, email = $"{name}@example.com", password = "Analytical-Engine-1843", full_name = "Ada Lovelace" })).Status(HttpStatusCode.Created);
        Assert.True(registered.GetProperty("id").GetInt64() > 0);
        Assert.Equal((name, $"{name}@example.com", "Ada Lovelace", true),
            (registered.GetProperty("username").GetString(), registered.GetProperty("email").GetString(),
             registered.GetProperty("full_name").GetString(), registered.GetProperty("is_active").GetBoolean()));
        Assert.False(registered.TryGetProperty("password", out _));

        var token = await (await anonymous.PostAsync($"{Base}/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = name,
            ["password"] = "Analytical-Engine-1843",
        }))).Status(HttpStatusCode.OK);
        Assert.Equal("bearer", token.GetProperty("token_type").GetString());
        using var client = app.Client(token.GetProperty("access_token").GetString());
        var me = await (await client.GetAsync($"{Base}/auth/me")).Status(HttpStatusCode.OK);
        Assert.Equal(registered.GetProperty("id").GetInt64(), me.GetProperty("id").GetInt64());
        Assert.Equal(registered.GetProperty("created_at").GetString(), me.GetProperty("created_at").GetString());

        // The same account signs in with its email too, here and on the platform's own token endpoint.
        await ReconCalls.TokenAsync(app, $"{name}@example.com", "Analytical-Engine-1843");
        await app.TokenAsync($"{name}@example.com", "Analytical-Engine-1843");
    }

    [Fact]
    public async Task Duplicates_weak_passwords_and_bad_fields_are_refused_in_fastapis_shapes()
    {
        using var anonymous = app.Client();
        var name = $"dup_{Guid.NewGuid():N}"[..16];
        await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username = name, email = $"{name}@example.com", password = "Good-Passw0rd" }))
            .Status(HttpStatusCode.Created);

        var sameName = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username = name.ToUpperInvariant(), email = $"other_{name}@example.com", password = "Good-Passw0rd" });
        Assert.Equal("Username or email already registered", await sameName.DetailAsync(HttpStatusCode.BadRequest));
        var sameEmail = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username = $"x{name}", email = $"{name.ToUpperInvariant()}@EXAMPLE.com", password = "Good-Passw0rd" });
        Assert.Equal("Username or email already registered", await sameEmail.DetailAsync(HttpStatusCode.BadRequest));

        foreach (var weak in new[] { "short1A", "password123", "aaaaaaaaaaaa", "alllowercaseletters", $"w{name}-Secret1" })
        {
            var response = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username = $"w{name}", email = $"w{name}@example.com", password = weak });
            Assert.Equal(["body.password"], await response.ValidationAsync());
        }
        var missing = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email = "not-an-email" });
        Assert.Equal(["body.username", "body.email", "body.password"], await missing.ValidationAsync());
        var wrongType = await anonymous.PostRawAsync($"{Base}/auth/register", """{"username": 5, "email": "a@b.co", "password": "x"}""");
        Assert.Contains("body.username", await wrongType.ValidationAsync());
        var malformed = await anonymous.PostRawAsync($"{Base}/auth/register", """{"username": """);
        Assert.Equal(["body"], await malformed.ValidationAsync());
    }

    [Fact]
    public async Task Wrong_credentials_and_missing_or_forged_tokens_are_401_with_a_bearer_challenge()
    {
        using var anonymous = app.Client();
        var (username, _) = await app.UserAsync();
        var wrong = await anonymous.PostAsync($"{Base}/auth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = "nope-nope-1" }));
        Assert.Equal("Incorrect username or password", await wrong.DetailAsync(HttpStatusCode.Unauthorized));
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.Single().Scheme);
        var unknown = await anonymous.PostAsync($"{Base}/auth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "nobody-here", ["password"] = "nope-nope-1" }));
        await unknown.DetailAsync(HttpStatusCode.Unauthorized);
        var json = await anonymous.PostAsJsonAsync($"{Base}/auth/token", new { username, password = "x" });
        Assert.Equal(["body.username", "body.password"], await json.ValidationAsync());

        await (await anonymous.GetAsync($"{Base}/projects")).DetailAsync(HttpStatusCode.Unauthorized);
        using var forged = app.Client("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        await (await forged.GetAsync($"{Base}/auth/me")).DetailAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Projects_are_created_listed_with_skip_and_limit_updated_archived_and_deleted()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var created = await (await client.PostAsJsonAsync($"{Base}/projects", new { name = "Garden shed", description = "north side" })).Status(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(("draft", 0, 0, 0.0, 0.0), (created.GetProperty("status").GetString(), created.GetProperty("total_frames").GetInt32(),
            created.GetProperty("processed_frames").GetInt32(), created.GetProperty("reconstruction_quality").GetDouble(), created.GetProperty("processing_time").GetDouble()));
        var second = await client.ProjectAsync("second");
        var third = await client.ProjectAsync("third");

        var all = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
        Assert.Equal([id, second, third], all.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        var page = await (await client.GetAsync($"{Base}/projects?skip=1&limit=1")).Status(HttpStatusCode.OK);
        Assert.Equal([second], page.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));

        var updated = await (await client.PutAsJsonAsync($"{Base}/projects/{id}", new { name = "Garden shed (east)", status = "archived" })).Status(HttpStatusCode.OK);
        Assert.Equal(("Garden shed (east)", "north side", "archived"),
            (updated.GetProperty("name").GetString(), updated.GetProperty("description").GetString(), updated.GetProperty("status").GetString()));
        var refused = await client.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=low", null);
        Assert.Contains("archived", await refused.DetailAsync(HttpStatusCode.BadRequest));
        await (await client.PutAsJsonAsync($"{Base}/projects/{id}", new { status = "draft" })).Status(HttpStatusCode.OK);

        await (await client.DeleteAsync($"{Base}/projects/{second}")).Status(HttpStatusCode.OK);
        Assert.Equal("Project not found", await (await client.GetAsync($"{Base}/projects/{second}")).DetailAsync(HttpStatusCode.NotFound));
        var after = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
        Assert.Equal([id, third], after.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Bad_project_input_is_422_and_another_users_project_is_404_everywhere()
    {
        var (_, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        using var _1 = owner;
        using var _2 = stranger;
        var id = await owner.ProjectAsync();

        Assert.Equal(["body.name"], await (await owner.PostAsJsonAsync($"{Base}/projects", new { description = "no name" })).ValidationAsync());
        Assert.Equal(["body.name"], await (await owner.PostRawAsync($"{Base}/projects", """{"name": 42}""")).ValidationAsync());
        Assert.Equal(["body.name"], await (await owner.PostAsJsonAsync($"{Base}/projects", new { name = new string('x', 201) })).ValidationAsync());
        Assert.Equal(["body"], await (await owner.PostRawAsync($"{Base}/projects", "{not json")).ValidationAsync());
        Assert.Equal(["query.limit"], await (await owner.GetAsync($"{Base}/projects?limit=0")).ValidationAsync());
        Assert.Equal(["query.skip"], await (await owner.GetAsync($"{Base}/projects?skip=-1")).ValidationAsync());
        Assert.Single(await (await owner.GetAsync($"{Base}/projects?limit=ten")).ValidationAsync());
        Assert.Single(await (await owner.GetAsync($"{Base}/projects/abc")).ValidationAsync());
        Assert.Equal(["query.quality"], await (await owner.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=ultra", null)).ValidationAsync());
        Assert.Equal(["body.status"], await (await owner.PutAsJsonAsync($"{Base}/projects/{id}", new { status = "completed" })).ValidationAsync());
        using (var oversize = new HttpRequestMessage(HttpMethod.Post, $"{Base}/projects")
        {
            Content = new StringContent($$"""{"name": "x", "description": "{{new string('d', 2 * 1024 * 1024)}}"}""", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            oversize.Headers.ExpectContinue = true;
            await (await owner.SendAsync(oversize)).DetailAsync(HttpStatusCode.RequestEntityTooLarge);
        }
        await (await owner.GetAsync($"{Base}/projects/999999999")).DetailAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"{Base}/no-such-endpoint")).DetailAsync(HttpStatusCode.NotFound);
        await (await owner.DeleteAsync($"{Base}/projects")).DetailAsync(HttpStatusCode.MethodNotAllowed);

        var calls = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.GetAsync($"{Base}/projects/{id}"),
            c => c.PutAsJsonAsync($"{Base}/projects/{id}", new { name = "mine now" }),
            c => c.DeleteAsync($"{Base}/projects/{id}"),
            c => c.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=low", null),
            c => c.GetAsync($"{Base}/projects/{id}/status"),
            c => c.GetAsync($"{Base}/files/list/{id}"),
            c => c.GetAsync($"{Base}/files/download/{id}/video"),
            c => c.GetAsync($"{Base}/jobs/project/{id}/status"),
            c => c.UploadAsync(id, ReconCalls.OrbitVideo),
        };
        foreach (var call in calls) Assert.Equal("Project not found", await (await call(stranger)).DetailAsync(HttpStatusCode.NotFound));
        Assert.Empty((await (await stranger.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await (await stranger.GetAsync($"{Base}/jobs?project_id={id}")).Status(HttpStatusCode.OK)).EnumerateArray());
        var still = await (await owner.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("orbit", still.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Registration_can_be_switched_off()
    {
        var closed = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Reconstruction3D:AllowRegistration"] = "false" });
        try
        {
            using var anonymous = closed.Client();
            var response = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username = "someone", email = "someone@example.com", password = "Good-Passw0rd" });
            Assert.Contains("disabled", await response.DetailAsync(HttpStatusCode.Forbidden));
            // Accounts made by an admin still sign in here.
            var token = await ReconCalls.TokenAsync(closed, ScanportApp.AdminEmail, ScanportApp.AdminPassword);
            using var admin = closed.Client(token);
            var me = await (await admin.GetAsync($"{Base}/auth/me")).Status(HttpStatusCode.OK);
            Assert.Equal("admin", me.GetProperty("username").GetString());
        }
        finally
        {
            await ((IAsyncLifetime)closed).DisposeAsync();
        }
    }
}
