using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// The console's admin pages in Chromium, as an admin uses them: sites, users with a role and sites, API keys whose
/// secret is shown once, enrollment codes; and what a non-admin sees instead. What the pages did is checked through the
/// platform API, as another program would see it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class ConsoleAdminTests(ScanportApp app)
{
    private const string UserPassword = "Quarry-survey-2026";

    [Fact]
    public async Task An_admin_creates_a_site_and_a_user_with_a_role_and_that_site_who_then_signs_in()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();

        await MainNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        // The admin pages arrive as a chunk of their own; focus still reaches the heading once it is shown.
        await Assertions.Expect(Heading(page, "Users")).ToBeFocusedAsync();
        Assert.Contains(page.Requests, r => r.Url.Contains("/console/assets/Admin-", StringComparison.Ordinal));
        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Sites" }).ClickAsync();
        await Assertions.Expect(Heading(page, "Sites")).ToBeFocusedAsync();
        await page.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("North yard");
        await page.Page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create site" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Site North yard created.");
        await Assertions.Expect(Cells(page, "North yard")).ToHaveTextAsync(["North yard", "Europe/Berlin", "Delete"]);

        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "New user" }).ClickAsync();
        await Assertions.Expect(Heading(page, "New user")).ToBeFocusedAsync();
        var email = $"rita-{Guid.NewGuid():N}@tenant.test";
        await page.Page.GetByLabel("Email").FillAsync(email);
        await page.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Rita Reviewer");
        await page.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("reviewer");
        await page.Page.GetByRole(AriaRole.Group, new() { Name = "Sites" }).GetByLabel("North yard").CheckAsync();
        await page.Page.GetByLabel("Password").FillAsync(UserPassword);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Assertions.Expect(Heading(page, "Users")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"User {email} created.");
        await Assertions.Expect(Cells(page, email)).ToHaveTextAsync([email, "Rita Reviewer", "Reviewer", "North yard", "Delete"]);
        using var api = tenant.Admin();
        var site = (await api.GetFromJsonAsync<JsonElement>("/platform/v1/sites")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Europe/Berlin", site.GetProperty("timezone").GetString());
        var user = await FindUserAsync(api, email);
        Assert.Equal("reviewer", user.GetProperty("role").GetString());
        Assert.Equal([site.GetProperty("id").GetString()], user.GetProperty("site_ids").EnumerateArray().Select(s => s.GetString()));

        // The new user signs in, in a browser of their own, with the password the admin gave.
        await using var theirs = await OpenAsync(app);
        await SignInAsync(theirs, email, UserPassword);
        await Assertions.Expect(Heading(theirs, "Projects")).ToBeVisibleAsync();
        await Assertions.Expect(theirs.Page.GetByRole(AriaRole.Banner)).ToContainTextAsync(email);
    }

    [Fact]
    public async Task An_admin_changes_a_users_role_and_sites_and_deletes_them_after_confirming()
    {
        var tenant = await app.NewTenantAsync();
        var (east, west) = (await CreateSiteAsync(tenant, "East gate"), await CreateSiteAsync(tenant, "West gate"));
        var (id, email) = await CreateUserAsync(tenant, "reviewer", east);
        await using var page = await OpenAsync(app, "/console/admin/users");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await page.Page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
        await Assertions.Expect(Heading(page, email)).ToBeFocusedAsync();
        var sites = page.Page.GetByRole(AriaRole.Group, new() { Name = "Sites" });
        await Assertions.Expect(sites.GetByLabel("East gate")).ToBeCheckedAsync();
        await Assertions.Expect(page.Page.GetByLabel("Role", new() { Exact = true })).ToHaveValueAsync("reviewer");
        await page.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("operator");
        await sites.GetByLabel("East gate").UncheckAsync();
        await sites.GetByLabel("West gate").CheckAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Changes to {email} saved.");
        await Assertions.Expect(Cells(page, email)).ToHaveTextAsync([email, "reviewer", "Operator", "West gate", "Delete"]);
        using var api = tenant.Admin();
        var user = await api.GetFromJsonAsync<JsonElement>($"/platform/v1/users/{id}");
        Assert.Equal("operator", user.GetProperty("role").GetString());
        Assert.Equal([west], user.GetProperty("site_ids").EnumerateArray().Select(s => s.GetGuid()));

        // Delete asks first; Cancel (which has the focus) keeps the user.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {email}" }).ClickAsync();
        var dialog = page.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this user?" });
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/platform/v1/users/{id}")).StatusCode);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {email}" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete user" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"User {email} deleted.");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = email })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/platform/v1/users/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_api_keys_secret_is_shown_once_works_as_a_bearer_and_is_refused_once_revoked()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app, "/console/admin/api-keys");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "API keys")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nightly export");
        await page.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("reviewer");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Secret of Nightly export" })).ToBeFocusedAsync();
        await Assertions.Expect(page.Page.GetByText("this is the only time the secret is shown")).ToBeVisibleAsync();
        var field = page.Page.GetByRole(AriaRole.Textbox, new() { Name = "Secret of Nightly export" });
        await Assertions.Expect(field).ToHaveValueAsync(SecretPattern());
        var secret = await field.InputValueAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Copied" })).ToHaveTextAsync("Copied to the clipboard.");
        Assert.Equal(secret, await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The secret is a bearer token of its own, with the role the admin chose.
        using (var asKey = app.Client(secret))
        {
            var me = await asKey.GetFromJsonAsync<JsonElement>("/platform/v1/me");
            Assert.Equal("api_key", me.GetProperty("kind").GetString());
            Assert.Equal("reviewer", me.GetProperty("role").GetString());
            Assert.Equal("Nightly export", me.GetProperty("name").GetString());
        }

        // Shown once: a reload lists the key, and the secret is nowhere in the page or its storage.
        await page.Page.ReloadAsync();
        var row = page.Page.GetByRole(AriaRole.Row, new() { Name = "Nightly export" });
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("Reviewer");
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("Active");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Textbox, new() { Name = "Secret of Nightly export" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await page.Page.EvaluateAsync<string>("() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })"), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Nightly export" }).ClickAsync();
        var dialog = page.Page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke this API key?" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("API key Nightly export revoked.");
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync(RevokedPattern());
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        using var revoked = app.Client(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/platform/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_enrollment_code_for_a_site_is_shown_once_and_enrolls_a_device_on_that_site()
    {
        var tenant = await app.NewTenantAsync();
        var site = await CreateSiteAsync(tenant, "Paint shop");
        await using var page = await OpenAsync(app, "/console/admin/enrollment-codes");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Enrollment codes")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Site", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Paint shop" });
        await page.Page.GetByLabel("Valid for").SelectOptionAsync(new SelectOptionValue { Label = "1 hour" });
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create code" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "New enrollment code" })).ToBeFocusedAsync();
        await Assertions.Expect(page.Page.GetByText("It enrolls one device for Paint shop until")).ToBeVisibleAsync();
        var field = page.Page.GetByRole(AriaRole.Textbox, new() { Name = "New enrollment code" });
        await Assertions.Expect(field).ToHaveValueAsync(CodePattern());
        var code = await field.InputValueAsync();

        // A device enrolls with it (the 360 surface's device sign-in) and works on that site only.
        using var anonymous = app.Client();
        using var enrolled = await anonymous.PostAsJsonAsync("/v1/auth/device",
            new { org_id = tenant.OrgId, platform = "ios", model = "iPhone 15 Pro", app_version = "1.0.0", enrollment_code = code });
        var body = await enrolled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(enrolled.IsSuccessStatusCode, $"enrolling failed: {body}");
        using var device = app.Client(body.GetProperty("access_token").GetString());
        var me = await device.GetFromJsonAsync<JsonElement>("/platform/v1/me");
        Assert.Equal([site], me.GetProperty("site_ids").EnumerateArray().Select(s => s.GetGuid()));

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(field).ToHaveCountAsync(0);
        await Assertions.Expect(Heading(page, "Enrollment codes")).ToBeFocusedAsync();
        Assert.DoesNotContain(code, await page.Page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_sees_no_Admin_link_and_is_told_plainly_the_admin_pages_are_not_theirs()
    {
        var tenant = await app.NewTenantAsync();
        var (_, email) = await CreateUserAsync(tenant, "operator");
        await using var page = await OpenAsync(app, "/console/admin/users");

        await SignInAsync(page, email, UserPassword);

        await Assertions.Expect(Heading(page, "Not allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("Only administrators manage users, sites and keys");
        // The page knows the role by now: the header offers Projects and 360° sessions, and no Admin.
        await Assertions.Expect(MainNavigation(page).GetByRole(AriaRole.Link)).ToHaveTextAsync(["Projects", "360° sessions"]);
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        foreach (var path in new[] { "/console/admin/sites", "/console/admin/api-keys", "/console/admin/enrollment-codes", $"/console/admin/users/{Guid.NewGuid()}" })
        {
            await page.Page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            await Assertions.Expect(Heading(page, "Not allowed")).ToBeVisibleAsync();
        }
        // The admin pages' code is never fetched for them, and the API refuses them anyway.
        Assert.DoesNotContain(page.Requests, r => r.Url.Contains("/console/assets/Admin-", StringComparison.Ordinal));
        using var operatorApi = app.Client(await app.TokenAsync(email, UserPassword));
        foreach (var path in new[] { "/platform/v1/users", "/platform/v1/api-keys" })
            Assert.Equal(HttpStatusCode.Forbidden, (await operatorApi.GetAsync(path)).StatusCode);
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Go to your projects" }).ClickAsync();
        await Assertions.Expect(Heading(page, "Projects")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_site_is_created_and_deleted_from_the_keyboard_alone()
    {
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeFocusedAsync();
        await MainNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Heading(page, "Users")).ToBeFocusedAsync();
        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Sites" }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Heading(page, "Sites")).ToBeFocusedAsync();
        await Assertions.Expect(page.Page.GetByText("No sites yet")).ToBeVisibleAsync();

        // With no sites, the form's first field is the next stop after the heading.
        await page.Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Page.GetByLabel("Name", new() { Exact = true })).ToBeFocusedAsync();
        await page.Page.Keyboard.TypeAsync("Kiln hall");
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Site Kiln hall created.");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Delete Kiln hall" }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        var dialog = page.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this site?" });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Delete site" })).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Site Kiln hall deleted.");
        await Assertions.Expect(Heading(page, "Sites")).ToBeFocusedAsync();
        using var api = tenant.Admin();
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/platform/v1/sites")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Refusals_of_the_api_are_said_in_words_with_what_to_do()
    {
        var tenant = await app.NewTenantAsync();
        await CreateSiteAsync(tenant, "Dock 4");
        var (_, taken) = await CreateUserAsync(tenant, "reviewer");
        await using var page = await OpenAsync(app, "/console/admin/users/new");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "New user")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Email").FillAsync($"weak-{Guid.NewGuid():N}@tenant.test");
        await page.Page.GetByLabel("Password").FillAsync("short");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("The user was not created: password must be at least 10 characters. Correct it and try again.");
        await Assertions.Expect(page.Page.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.Page.GetByLabel("Email").FillAsync(taken);
        await page.Page.GetByLabel("Password").FillAsync(UserPassword);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("The user was not created: A user with this email already exists. Use another email address.");

        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Sites" }).ClickAsync();
        await page.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Dock 4");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create site" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("The site was not created: A site named 'Dock 4' already exists. Choose another name.");

        // The last admin cannot delete themselves: the API's reason, and the page stays as it was.
        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {tenant.AdminEmail}" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete user" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("was not deleted: You cannot delete yourself. Another admin can do it, once the organization has one.");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = tenant.AdminEmail })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_admin_page_has_no_serious_or_critical_axe_violation()
    {
        var tenant = await app.NewTenantAsync();
        await CreateSiteAsync(tenant, "Axe yard");
        var (_, email) = await CreateUserAsync(tenant, "operator");
        await using var page = await OpenAsync(app, "/console/admin/users");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        var check = ConsoleAccessibilityTests.AssertAccessibleAsync;

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = email })).ToBeVisibleAsync();
        await check(page, "users");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {email}" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await check(page, "users, confirming a deletion");
        await page.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
        await Assertions.Expect(Heading(page, email)).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByLabel("Axe yard")).ToBeVisibleAsync();
        await check(page, "user");
        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "New user" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await check(page, "new user with an error");

        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Sites" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Row, new() { Name = "Axe yard" })).ToBeVisibleAsync();
        await check(page, "sites");

        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Axe key");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Row, new() { Name = "Axe key" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" })).ToBeVisibleAsync();
        await check(page, "API keys with a new secret");

        await AdminNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Enrollment codes" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create code" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Copy code" })).ToBeVisibleAsync();
        await check(page, "enrollment codes with a new code");

        await using var theirs = await OpenAsync(app, "/console/admin/sites");
        await SignInAsync(theirs, email, UserPassword);
        await Assertions.Expect(Heading(theirs, "Not allowed")).ToBeVisibleAsync();
        await check(theirs, "not allowed");
    }

    private static ILocator MainNavigation(BrowserPage page) => page.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>The cells of the table row that names <paramref name="name"/>.</summary>
    private static ILocator Cells(BrowserPage page, string name) => page.Page.GetByRole(AriaRole.Row, new() { Name = name }).GetByRole(AriaRole.Cell);

    private static ILocator AdminNavigation(BrowserPage page) => page.Page.GetByRole(AriaRole.Navigation, new() { Name = "Administration" });

    private static async Task<Guid> CreateSiteAsync(Tenant tenant, string name)
    {
        using var api = tenant.Admin();
        using var response = await api.PostAsJsonAsync("/platform/v1/sites", new { name });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating a site failed: {body}");
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>A user made through the platform API, with <see cref="UserPassword"/>.</summary>
    internal static async Task<(Guid Id, string Email)> CreateUserAsync(Tenant tenant, string role, params Guid[] sites)
    {
        using var api = tenant.Admin();
        var email = $"{role}-{Guid.NewGuid():N}@tenant.test";
        using var response = await api.PostAsJsonAsync("/platform/v1/users", new { email, name = role, role, site_ids = sites, password = UserPassword });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating a user failed: {body}");
        return (body.GetProperty("id").GetGuid(), email);
    }

    private static async Task<JsonElement> FindUserAsync(HttpClient api, string email)
    {
        var users = await api.GetFromJsonAsync<JsonElement>("/platform/v1/users?limit=100");
        return users.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("email").GetString() == email);
    }

    [GeneratedRegex("^spk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("^Revoked ")]
    private static partial Regex RevokedPattern();

    [GeneratedRegex("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")]
    private static partial Regex CodePattern();
}
