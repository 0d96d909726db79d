using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Domain.Data;

/// <summary>
/// Identity's schema version the panel's model and migrations are made for: version 3, with the
/// passkeys table. Identity reads it from IdentityOptions in the application's services, so every
/// host of <see cref="PanelDbContext"/> must set it (the app in IdentitySetup, tests with
/// <see cref="Configure"/>); a context made with no application services (the design-time contexts
/// that generate migrations) uses <see cref="Services"/>. A host that forgets builds the version 1
/// model, and migrating then fails with "pending model changes".
/// </summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    public static void Configure(IdentityOptions options) => options.Stores.SchemaVersion = Version;

    /// <summary>Application services holding only these IdentityOptions, for contexts made without a host.</summary>
    public static IServiceProvider Services { get; } = new ServiceCollection().Configure<IdentityOptions>(Configure).BuildServiceProvider();
}
