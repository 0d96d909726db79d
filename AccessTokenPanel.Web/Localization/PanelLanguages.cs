using System.Globalization;
using System.Security.Claims;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// The panel's languages, English (the default) and Japanese, and how a request's language is
/// chosen: the user's choice in the standard culture cookie, then the signed-in user's profile,
/// then the browser's <c>Accept-Language</c>. A circuit keeps the culture of the request that
/// started it, so choosing another language reloads the page (<see cref="LanguageEndpoint"/>).
/// </summary>
public static class PanelLanguages
{
    public const string English = "en";
    public const string Japanese = "ja";

    /// <summary>Each language with its own name, as the language menu offers it.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> All = [(English, "English"), (Japanese, "日本語")];

    // Machine interfaces keep one language: their English messages and codes are part of their contract.
    private static readonly string[] UnlocalizedAreas = ["/api", "/scim", "/graphql", "/oauth", "/healthz", "/metrics", "/_framework", "/_content"];

    /// <summary>The supported language named by <paramref name="code"/> ("ja", "ja-JP", "EN"), or null.</summary>
    public static string? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        var language = code.Trim().Split('-', '_')[0];
        return All.Select(l => l.Code).FirstOrDefault(c => string.Equals(c, language, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The language of the current request or circuit.</summary>
    public static string Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Japanese ? Japanese : English;

    public static IServiceCollection AddPanelLocalization(this IServiceCollection services)
    {
        // Resource files sit next to their feature's marker class (e.g. Components/Pages/Tokens/TokenTexts.resx).
        services.AddLocalization();
        // MudBlazor's own texts (pager, date picker, dialog close buttons) from our resources; English stays MudBlazor's.
        services.AddTransient<MudLocalizer, PanelMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            // English keeps the invariant culture's formats the panel has always shown (yyyy-MM-dd dates are
            // written explicitly); Japanese formats as Japanese.
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(English));
            options.SupportedCultures = [CultureInfo.InvariantCulture, new CultureInfo(Japanese)];
            options.SupportedUICultures = [new CultureInfo(English), new CultureInfo(Japanese)];
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(ProfileLanguageAsync),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>After authentication (the profile is the signed-in user's), for pages only.</summary>
    public static IApplicationBuilder UsePanelLocalization(this IApplicationBuilder app) =>
        app.UseWhen(http => !UnlocalizedAreas.Any(area => http.Request.Path.StartsWithSegments(area)), branch => branch.UseRequestLocalization());

    /// <summary>The cookie that remembers a choice in this browser (the standard one, read by <see cref="CookieRequestCultureProvider"/>).</summary>
    public static void Remember(HttpContext http, string language) =>
        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions
            {
                Path = "/",
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
            });

    /// <summary>
    /// The language on the signed-in user's profile (a new browser, no cookie yet). Once found it is
    /// also put in the cookie, so later requests do not ask the database again.
    /// </summary>
    private static async Task<ProviderCultureResult?> ProfileLanguageAsync(HttpContext http)
    {
        if (http.User.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme
            || http.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }
        try
        {
            var db = http.RequestServices.GetRequiredService<PanelDbContext>();
            var stored = await db.Users.Where(u => u.Id == userId).Select(u => u.PreferredLanguage).FirstOrDefaultAsync(http.RequestAborted);
            if (Find(stored) is not { } language)
            {
                return null;
            }
            if (!http.Response.HasStarted)
            {
                Remember(http, language);
            }
            return new ProviderCultureResult(language);
        }
        catch (Exception e) when (DatabaseFaults.IsDatabaseFault(e))
        {
            // The page itself reports the fault; the language falls back to the browser's.
            return null;
        }
    }
}
