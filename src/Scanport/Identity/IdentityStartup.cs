namespace Scanport.Identity;

/// <summary>Identity's start-up steps, run by <c>Program.cs</c> once the schema is up to date.</summary>
internal static class IdentityStartup
{
    /// <summary>Loads the token signing keys, creating the first one on a new installation.</summary>
    public static Task LoadSigningKeysAsync(this WebApplication app, CancellationToken ct = default) =>
        app.Services.GetRequiredService<SigningKeyRing>().LoadOrCreateAsync(ct);

    /// <summary>Creates the first organization and its admin when configured and not there yet.</summary>
    public static async Task BootstrapAsync(this WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(ct);
    }
}
