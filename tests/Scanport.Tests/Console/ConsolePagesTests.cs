using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// The console's first pages in Chromium, as a person uses them: sign in with Email and Password, the projects list, New
/// project, a project's page, deep links, sign out, errors in words. Each test signs in as the admin of an organization
/// of its own.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsolePagesTests(ScanportApp app)
{
    [Fact]
    public async Task A_person_signs_in_creates_a_project_and_follows_its_link_to_its_page()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page).ToHaveURLAsync(new Uri(app.BaseAddress, "/console/projects").ToString());
        await Assertions.Expect(page.Page.GetByText("No projects yet")).ToBeVisibleAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "New project" }).First.ClickAsync();
        await Assertions.Expect(Heading(page, "New project")).ToBeVisibleAsync();
        await page.Page.GetByLabel("Name").FillAsync("Harbour bridge survey");
        await page.Page.GetByLabel("Description").FillAsync("Deck and pylons, spring campaign");
        await page.Page.GetByLabel("Cloud only").CheckAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var link = page.Page.GetByRole(AriaRole.Link, new() { Name = "Harbour bridge survey", Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("created");
        await link.ClickAsync();

        await Assertions.Expect(Heading(page, "Harbour bridge survey")).ToBeFocusedAsync();
        await Assertions.Expect(page.Page).ToHaveTitleAsync("Harbour bridge survey · Scanport");
        await Assertions.Expect(page.Page.GetByText("Deck and pylons, spring campaign")).ToBeVisibleAsync();
        Assert.Matches("/console/projects/[0-9a-f-]{36}$", page.Page.Url);
        foreach (var section in new[] { "Members", "Point clouds", "Models", "Reconstructions", "360° sessions", "Body scans" })
            await Assertions.Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = section, Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator("dl.facts")).ToContainTextAsync("Cloud only Yes");
        // The project the person made is the one the platform API holds, with them as its member.
        using var api = tenant.Admin();
        var id = page.Page.Url.Split('/').Last();
        var project = await api.GetFromJsonAsync<JsonElement>($"/platform/v1/projects/{id}");
        Assert.True(project.GetProperty("cloud_only").GetBoolean());
        Assert.Equal("Deck and pylons, spring campaign", project.GetProperty("description").GetString());
        var member = project.GetProperty("member_ids")[0].GetString()!;
        await Assertions.Expect(page.Page.GetByText(member)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_said_in_words_and_the_person_stays_on_sign_in()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);

        await SignInAsync(page, tenant.AdminEmail, "not-the-password");

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is wrong. Check them and try again.");
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByLabel("Password")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task Empty_fields_are_said_in_words_without_a_request()
    {
        await using var page = await OpenAsync(app);
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Enter your email and your password.");
        Assert.DoesNotContain(page.Requests, r => r.Url.Contains("/oauth/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_in_works_from_the_keyboard_alone()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Email").FocusAsync();
        await page.Page.Keyboard.TypeAsync(tenant.AdminEmail);
        await page.Page.Keyboard.PressAsync("Tab");
        await page.Page.Keyboard.TypeAsync(TenantPassword);
        await page.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        // The new page's heading has the focus, so Tab goes on from there and a screen reader announces it.
        await Assertions.Expect(Heading(page, "Projects")).ToBeFocusedAsync();
        // Tab reaches New project next, with a visible focus ring.
        await page.Page.Keyboard.PressAsync("Tab");
        var newProject = page.Page.GetByRole(AriaRole.Link, new() { Name = "New project" }).First;
        await Assertions.Expect(newProject).ToBeFocusedAsync();
        Assert.Equal("solid", await newProject.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Heading(page, "New project")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_first_tab_offers_a_skip_link_to_the_content()
    {
        await using var page = await OpenAsync(app);
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();

        await page.Page.Keyboard.PressAsync("Tab");

        var skip = page.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_returns_to_sign_in_and_a_reload_stays_signed_out()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        Assert.NotNull(await page.Page.EvaluateAsync<string?>("sessionStorage.getItem('scanport.session')"));

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You have signed out.");
        Assert.Null(await page.Page.EvaluateAsync<string?>("sessionStorage.getItem('scanport.session')"));
        await page.Page.GotoAsync(new Uri(app.BaseAddress, "/console/projects").ToString());
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_deep_link_to_a_project_opens_it_after_sign_in()
    {
        var tenant = await app.NewTenantAsync();
        var id = await CreateProjectAsync(app, tenant.AdminToken, "Quarry stockpiles", "Monthly volumes");
        await using var page = await OpenAsync(app, $"/console/projects/{id}");

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Quarry stockpiles")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page).ToHaveURLAsync(new Uri(app.BaseAddress, $"/console/projects/{id}").ToString());
        await Assertions.Expect(page.Page.GetByText("Monthly volumes")).ToBeVisibleAsync();
        // A reload of the deep link keeps the person signed in (the token is in this tab's session storage).
        await page.Page.ReloadAsync();
        await Assertions.Expect(Heading(page, "Quarry stockpiles")).ToBeVisibleAsync();
        // Back goes to where the person came from, through the app's own history entries.
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Projects", Exact = true }).First.ClickAsync();
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await page.Page.GoBackAsync();
        await Assertions.Expect(Heading(page, "Quarry stockpiles")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Another_organizations_project_is_not_shown()
    {
        var (mine, theirs) = (await app.NewTenantAsync(), await app.NewTenantAsync());
        var hidden = await CreateProjectAsync(app, theirs.AdminToken, "Their secret site");
        await using var page = await OpenAsync(app, $"/console/projects/{hidden}");

        await SignInAsync(page, mine.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Project not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("Their secret site")).ToHaveCountAsync(0);
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Back to your projects" }).ClickAsync();
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("Their secret site")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_operator_sees_only_the_projects_they_are_a_member_of()
    {
        var tenant = await app.NewTenantAsync();
        var email = $"operator-{Guid.NewGuid():N}@tenant.test";
        const string password = "operator-password-1";
        using var admin = tenant.Admin();
        using var created = await admin.PostAsJsonAsync("/platform/v1/users", new { email, name = "Olga", role = "operator", password });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var userId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var mine = await CreateProjectAsync(app, tenant.AdminToken, "Olga's bridge");
        using var added = await admin.PostAsJsonAsync($"/platform/v1/projects/{mine}/members", new { user_id = userId });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        var notMine = await CreateProjectAsync(app, tenant.AdminToken, "Board room refit");
        await using var page = await OpenAsync(app, $"/console/projects/{notMine}");

        await SignInAsync(page, email, password);

        await Assertions.Expect(Heading(page, "Project not found")).ToBeVisibleAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Back to your projects" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.List, new() { Name = "Projects" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["Olga's bridge"]);
    }

    [Fact]
    public async Task The_projects_list_pages_with_previous_and_next()
    {
        var tenant = await app.NewTenantAsync();
        // 22 projects: a page of 20 and a page of 2, newest first.
        for (var i = 1; i <= 22; i++) await CreateProjectAsync(app, tenant.AdminToken, $"Site {i:00}");
        await using var page = await OpenAsync(app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        var projects = page.Page.GetByRole(AriaRole.List, new() { Name = "Projects" }).GetByRole(AriaRole.Link);

        await Assertions.Expect(projects).ToHaveCountAsync(20);
        await Assertions.Expect(projects.First).ToHaveTextAsync("Site 22");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Previous" })).ToBeDisabledAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Assertions.Expect(projects).ToHaveTextAsync(["Site 02", "Site 01"]);
        await Assertions.Expect(page.Page.GetByText("21–22 of 22")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
        await Assertions.Expect(projects).ToHaveCountAsync(20);
        await Assertions.Expect(projects.First).ToHaveTextAsync("Site 22");
    }

    [Fact]
    public async Task A_refused_token_sends_the_person_back_to_sign_in_with_a_message()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        // The server stops taking the token (as after a revocation, or a clock ahead of the stored expiry): any 401.
        await page.Page.EvaluateAsync("""
            () => {
              const s = JSON.parse(sessionStorage.getItem('scanport.session'));
              sessionStorage.setItem('scanport.session', JSON.stringify({ ...s, token: 'not-a-token' }));
            }
            """);
        await page.Page.ReloadAsync();

        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your session has expired: sign in again.");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_unknown_console_address_says_so()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app, "/console/no/such/page");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Page not found")).ToBeVisibleAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Go to your projects" }).ClickAsync();
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
    }
}
