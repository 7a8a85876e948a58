using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class ProjectsTests(ScanportApp app)
{
    private const string Projects = $"{PlatformCalls.Base}/projects";

    private static async Task<JsonElement> CreateAsync(HttpClient client, object request) =>
        await (await client.PostAsJsonAsync(Projects, request)).Status(HttpStatusCode.Created);

    [Fact]
    public async Task Admin_creates_a_project_and_becomes_its_member()
    {
        var tenant = await app.NewTenantAsync();
        var adminId = await tenant.AdminIdAsync();
        var (reviewerId, _) = await tenant.UserAsync("reviewer");
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync(Projects, new { name = " Spring catalogue ", description = "Shoes", member_ids = new[] { reviewerId, reviewerId } });

        var project = await response.Status(HttpStatusCode.Created);
        Assert.Equal($"{Projects}/{project.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(["cloud_only", "created_at", "description", "id", "member_ids", "name", "number", "object_id", "org_id", "updated_at"],
            project.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(tenant.OrgId, project.GetProperty("org_id").GetGuid());
        Assert.Equal("Spring catalogue", project.GetProperty("name").GetString());
        Assert.Equal("Shoes", project.GetProperty("description").GetString());
        Assert.False(project.GetProperty("cloud_only").GetBoolean());
        Assert.Equal(new[] { adminId, reviewerId }.Order(), project.Guids("member_ids").Order());
        var fetched = await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(new[] { adminId, reviewerId }.Order(), fetched.Guids("member_ids").Order());
    }

    [Fact]
    public async Task Operator_creates_a_project_and_becomes_its_member()
    {
        var tenant = await app.NewTenantAsync();
        var (operatorId, token) = await tenant.UserAsync("operator");
        using var op = app.Client(token);

        var project = await CreateAsync(op, new { name = "Lot scans", cloud_only = true });

        Assert.Equal([operatorId], project.Guids("member_ids"));
        Assert.True(project.GetProperty("cloud_only").GetBoolean());
        Assert.Equal(JsonValueKind.Null, project.GetProperty("description").ValueKind);
        await (await op.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reviewers_cannot_create_projects()
    {
        var tenant = await app.NewTenantAsync();
        var (_, token) = await tenant.UserAsync("reviewer");
        var (_, keySecret) = await tenant.ApiKeyAsync("reviewer");
        using var reviewer = app.Client(token);
        using var reviewerKey = app.Client(keySecret);

        await (await reviewer.PostAsJsonAsync(Projects, new { name = "Nope" })).Problem(HttpStatusCode.Forbidden);
        await (await reviewerKey.PostAsJsonAsync(Projects, new { name = "Nope" })).Problem(HttpStatusCode.Forbidden);
        using var admin = tenant.Admin();
        Assert.Empty((await (await admin.GetAsync(Projects)).Status(HttpStatusCode.OK)).ItemIds());
    }

    [Fact]
    public async Task Operators_see_only_their_projects_and_admins_see_all()
    {
        var tenant = await app.NewTenantAsync();
        var (operatorId, token) = await tenant.UserAsync("operator");
        using var admin = tenant.Admin();
        using var op = app.Client(token);
        var hidden = await CreateAsync(admin, new { name = "Admin only" });
        var shared = await CreateAsync(admin, new { name = "Shared", member_ids = new[] { operatorId } });
        var own = await CreateAsync(op, new { name = "Own" });

        var operatorList = await (await op.GetAsync(Projects)).Status(HttpStatusCode.OK);
        var adminList = await (await admin.GetAsync(Projects)).Status(HttpStatusCode.OK);

        Assert.Equal(new[] { shared.Id(), own.Id() }.Order(), operatorList.ItemIds().Order());
        Assert.Equal(2, operatorList.GetProperty("total").GetInt32());
        Assert.Equal(new[] { hidden.Id(), shared.Id(), own.Id() }.Order(), adminList.ItemIds().Order());
        Assert.Equal(3, adminList.GetProperty("total").GetInt32());
        await (await op.GetAsync($"{Projects}/{hidden.Id()}")).Problem(HttpStatusCode.NotFound);
        await (await op.GetAsync($"{Projects}/{shared.Id()}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Patch_changes_name_description_cloud_only_and_members()
    {
        var tenant = await app.NewTenantAsync();
        var (first, _) = await tenant.UserAsync("operator");
        var (second, _) = await tenant.UserAsync("reviewer");
        using var admin = tenant.Admin();
        var project = await CreateAsync(admin, new { name = "Old", description = "old", member_ids = new[] { first } });

        var patched = await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}",
            new { name = " New ", description = "new", cloud_only = true, member_ids = new[] { second } })).Status(HttpStatusCode.OK);

        Assert.Equal("New", patched.GetProperty("name").GetString());
        Assert.Equal("new", patched.GetProperty("description").GetString());
        Assert.True(patched.GetProperty("cloud_only").GetBoolean());
        Assert.Equal([second], patched.Guids("member_ids"));
        Assert.Equal(project.GetProperty("created_at").GetString(), patched.GetProperty("created_at").GetString());
        var fetched = await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(patched.ToString(), fetched.ToString());

        var renamedOnly = await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}", new { name = "Newer" })).Status(HttpStatusCode.OK);
        Assert.Equal("new", renamedOnly.GetProperty("description").GetString());
        Assert.True(renamedOnly.GetProperty("cloud_only").GetBoolean());
        Assert.Equal([second], renamedOnly.Guids("member_ids"));
    }

    [Fact]
    public async Task Patch_that_keeps_a_member_and_adds_another_keeps_both()
    {
        var tenant = await app.NewTenantAsync();
        var (first, _) = await tenant.UserAsync("operator");
        var (second, _) = await tenant.UserAsync("operator");
        using var admin = tenant.Admin();
        var project = await CreateAsync(admin, new { name = "P", member_ids = new[] { first } });

        var patched = await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}", new { member_ids = new[] { first, second, second } }))
            .Status(HttpStatusCode.OK);

        Assert.Equal(new[] { first, second }.Order(), patched.Guids("member_ids").Order());
        var fetched = await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(new[] { first, second }.Order(), fetched.Guids("member_ids").Order());
    }

    [Fact]
    public async Task Members_are_added_and_removed()
    {
        var tenant = await app.NewTenantAsync();
        var adminId = await tenant.AdminIdAsync();
        var (operatorId, token) = await tenant.UserAsync("operator");
        using var admin = tenant.Admin();
        using var op = app.Client(token);
        var project = await CreateAsync(admin, new { name = "P" });
        var members = $"{Projects}/{project.Id()}/members";

        var added = await (await admin.PostAsJsonAsync(members, new { user_id = operatorId })).Status(HttpStatusCode.OK);
        var again = await (await admin.PostAsJsonAsync(members, new { user_id = operatorId })).Status(HttpStatusCode.OK);

        Assert.Equal(new[] { adminId, operatorId }.Order(), added.Guids("member_ids").Order());
        Assert.Equal(new[] { adminId, operatorId }.Order(), again.Guids("member_ids").Order());
        await (await op.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);

        await (await admin.DeleteAsync($"{members}/{operatorId}")).Status(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"{members}/{operatorId}")).Problem(HttpStatusCode.NotFound);
        await (await op.GetAsync($"{Projects}/{project.Id()}")).Problem(HttpStatusCode.NotFound);
        Assert.Equal([adminId], (await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK)).Guids("member_ids"));
    }

    [Fact]
    public async Task A_member_must_be_a_user_of_the_organization()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (foreignUser, _) = await other.UserAsync("operator");
        using var admin = tenant.Admin();
        var project = await CreateAsync(admin, new { name = "P" });
        var members = $"{Projects}/{project.Id()}/members";

        await (await admin.PostAsJsonAsync(members, new { user_id = foreignUser })).Invalid("user_id");
        await (await admin.PostAsJsonAsync(members, new { user_id = Guid.NewGuid() })).Invalid("user_id");
        await (await admin.PostAsJsonAsync(members, new { })).Invalid("user_id");
        Assert.Single((await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK)).Guids("member_ids"));
    }

    [Fact]
    public async Task Deleting_a_project_makes_it_not_found()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var project = await CreateAsync(admin, new { name = "P" });

        await (await admin.DeleteAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.NoContent);

        await (await admin.GetAsync($"{Projects}/{project.Id()}")).Problem(HttpStatusCode.NotFound);
        await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}", new { name = "Back" })).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{Projects}/{project.Id()}")).Problem(HttpStatusCode.NotFound);
        Assert.Empty((await (await admin.GetAsync(Projects)).Status(HttpStatusCode.OK)).ItemIds());
    }

    [Fact]
    public async Task Another_organizations_project_is_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (ownUser, _) = await tenant.UserAsync("operator");
        using var otherAdmin = other.Admin();
        var foreign = await CreateAsync(otherAdmin, new { name = "Theirs" });
        var foreignAdmin = await other.AdminIdAsync();
        using var admin = tenant.Admin();
        var url = $"{Projects}/{foreign.Id()}";

        await (await admin.GetAsync(url)).Problem(HttpStatusCode.NotFound);
        await (await admin.PatchAsJsonAsync(url, new { name = "Ours" })).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(url)).Problem(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync($"{url}/members", new { user_id = ownUser })).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{url}/members/{foreignAdmin}")).Problem(HttpStatusCode.NotFound);
        Assert.Empty((await (await admin.GetAsync(Projects)).Status(HttpStatusCode.OK)).ItemIds());

        var untouched = await (await otherAdmin.GetAsync(url)).Status(HttpStatusCode.OK);
        Assert.Equal("Theirs", untouched.GetProperty("name").GetString());
        Assert.Equal([foreignAdmin], untouched.Guids("member_ids"));
    }

    [Fact]
    public async Task Project_requests_are_validated()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (foreignUser, _) = await other.UserAsync("operator");
        using var admin = tenant.Admin();

        await (await admin.PostAsJsonAsync(Projects, new { description = "no name" })).Invalid("name");
        await (await admin.PostAsJsonAsync(Projects, new { name = " " })).Invalid("name");
        await (await admin.PostAsJsonAsync(Projects, new { name = new string('p', 201) })).Invalid("name");
        await (await admin.PostAsJsonAsync(Projects, new { name = "P", description = new string('d', 4001) })).Invalid("description");
        await (await admin.PostAsJsonAsync(Projects, new { name = "P", member_ids = new[] { foreignUser } })).Invalid("member_ids");
        Assert.Empty((await (await admin.GetAsync(Projects)).Status(HttpStatusCode.OK)).ItemIds());

        var project = await CreateAsync(admin, new { name = new string('p', 200) });
        await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}", new { name = "" })).Invalid("name");
        await (await admin.PatchAsJsonAsync($"{Projects}/{project.Id()}", new { member_ids = new[] { foreignUser } })).Invalid("member_ids");
        var unchanged = await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(new string('p', 200), unchanged.GetProperty("name").GetString());
        Assert.Equal([await tenant.AdminIdAsync()], unchanged.Guids("member_ids"));
    }

    [Fact]
    public async Task Operators_change_and_delete_only_the_projects_they_created()
    {
        var tenant = await app.NewTenantAsync();
        var (operatorId, token) = await tenant.UserAsync("operator");
        using var op = app.Client(token);
        using var admin = tenant.Admin();
        var theirs = await CreateAsync(admin, new { name = "Theirs", member_ids = new[] { operatorId } });
        var theirsUrl = $"{Projects}/{theirs.Id()}";

        await (await op.PatchAsJsonAsync(theirsUrl, new { name = "Renamed" })).Problem(HttpStatusCode.Forbidden);
        await (await op.DeleteAsync(theirsUrl)).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("Theirs", (await (await op.GetAsync(theirsUrl)).Status(HttpStatusCode.OK)).GetProperty("name").GetString());

        var mine = await CreateAsync(op, new { name = "Mine" });
        var mineUrl = $"{Projects}/{mine.Id()}";
        await (await op.PostAsJsonAsync($"{mineUrl}/members", new { user_id = await tenant.AdminIdAsync() })).Problem(HttpStatusCode.Forbidden);
        await (await op.PatchAsJsonAsync(mineUrl, new { member_ids = new[] { operatorId } })).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("Renamed", (await (await op.PatchAsJsonAsync(mineUrl, new { name = "Renamed" })).Status(HttpStatusCode.OK)).GetProperty("name").GetString());
        await (await op.DeleteAsync(mineUrl)).Status(HttpStatusCode.NoContent);
        await (await admin.GetAsync(mineUrl)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_user_takes_them_off_their_projects()
    {
        var tenant = await app.NewTenantAsync();
        var adminId = await tenant.AdminIdAsync();
        var (operatorId, _) = await tenant.UserAsync("operator");
        using var admin = tenant.Admin();
        var project = await CreateAsync(admin, new { name = "P", member_ids = new[] { operatorId } });

        await (await admin.DeleteAsync($"{PlatformCalls.Base}/users/{operatorId}")).Status(HttpStatusCode.NoContent);

        Assert.Equal([adminId], (await (await admin.GetAsync($"{Projects}/{project.Id()}")).Status(HttpStatusCode.OK)).Guids("member_ids"));
    }
}
