using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.SecretsAtRest;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Components.Pages.Users;
using AccessTokenPanel.Web.Localization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Hosting;

internal static class IdentitySetup
{
    public static IServiceCollection AddPanelIdentity(this IServiceCollection services)
    {
        services.AddIdentity<PanelUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Tokens.AuthenticatorTokenProvider = TokenOptions.DefaultAuthenticatorProvider;
                // The passkeys table: the schema version the migrations are made for.
                IdentitySchema.Configure(options);
            })
            .AddEntityFrameworkStores<PanelDbContext>()
            // Authenticator keys encrypted, recovery codes hashed (AspNetUserTokens held both in clear).
            .AddUserStore<PanelUserStore>()
            .AddSignInManager<PanelSignInManager>()
            .AddClaimsPrincipalFactory<PanelClaimsPrincipalFactory>()
            // Identity's messages in the screen's language (English stays Identity's own).
            .AddErrorDescriber<PanelIdentityErrorDescriber>()
            // Our RFC 6238 provider replaces Identity's (which allows replay and ignores TimeProvider).
            .AddTokenProvider<TotpAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);

        // Passkeys (Identity's WebAuthn): the relying party is the panel's public host when
        // Hosting:PublicBaseUrl is set (UsePublicOrigin makes requests carry that origin, which
        // Identity's origin check compares with), else the request's host (localhost under dotnet run).
        // A passkey signs in on its own, so the authenticator must verify the user (PIN, biometrics),
        // and it must be discoverable, so sign-in needs no email first.
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<PublicOriginOptions>>((passkey, origin) =>
        {
            passkey.ServerDomain = origin.Value.PublicBaseUri?.Host;
            passkey.UserVerificationRequirement = "required";
            passkey.ResidentKeyRequirement = "required";
            // Identity's own check wants https; the panel runs over plain http on localhost too.
            // The browser's origin must be the panel's own (the public address when configured),
            // never a frame of another site's.
            passkey.ValidateOrigin = context => ValueTask.FromResult(IsPanelOrigin(context, origin.Value.PublicBaseUri));
        });

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "AccessTokenPanel.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = AccountPaths.Login;
            cookie.LogoutPath = AccountPaths.Logout;
            cookie.AccessDeniedPath = AccountPaths.AccessDenied;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = SessionValidator.ValidateAsync,
                OnSigningIn = SessionCookies.OnSigningInAsync,
                OnRedirectToAccessDenied = context =>
                {
                    // A signed-in user who has not enrolled TOTP yet is sent to enrollment, not refused.
                    context.Response.Redirect(PanelClaims.IsEnrolled(context.HttpContext.User)
                        ? context.RedirectUri
                        : AccountPaths.EnrollAuthenticator);
                    return Task.CompletedTask;
                },
            };
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie =>
        {
            cookie.Cookie.Name = "AccessTokenPanel.TwoFactor";
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The cookie's own expiry is only a hint to the browser: the server-side password step
            // (SessionRegistry.PasswordStepLifetime, single use) is what counts.
            cookie.ExpireTimeSpan = SessionRegistry.PasswordStepLifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnSigningIn = SessionCookies.OnSigningInTwoFactorAsync;
            cookie.Events.OnValidatePrincipal = SessionCookies.ValidateTwoFactorAsync;
        });
        // Over HTTPS (directly or behind a trusted TLS proxy) the antiforgery cookie is Secure too.
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(PanelClaims.TotpEnrolled, PanelClaims.Enrolled)
                .Build())
            .AddPolicy(PanelPolicies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPermissionPolicies();
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();

        services.AddScoped<UserAdministration>();
        services.AddSingleton<FirstRunSetup>();
        services.AddHostedService<FirstRunSetupAnnouncer>();
        services.AddHostedService<SecretsAtRestStartup>();
        return services;
    }

    private static bool IsPanelOrigin(PasskeyOriginValidationContext context, Uri? publicBaseUri)
    {
        if (context.CrossOrigin || !Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin))
        {
            return false;
        }
        var request = context.HttpContext.Request;
        var expected = publicBaseUri ?? new Uri($"{request.Scheme}://{request.Host}");
        // Plain http only for the loopback name browsers themselves treat as secure.
        return (origin.Scheme == Uri.UriSchemeHttps || origin.Host == "localhost")
            && string.Equals(origin.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(origin.Host, expected.Host, StringComparison.OrdinalIgnoreCase)
            && origin.Port == expected.Port;
    }

    /// <summary>One policy per permission, named by the permission (<c>[Authorize(Policy = Permission.UsersWrite)]</c>).</summary>
    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        foreach (var permission in Permission.All)
        {
            builder.AddPolicy(permission, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(PanelClaims.TotpEnrolled, PanelClaims.Enrolled)
                .AddRequirements(new PermissionRequirement(permission)));
        }
        return builder;
    }
}
