using AccessTokenPanel.Domain;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Audit;
using AccessTokenPanel.Web.Authentication.Sso;
using AccessTokenPanel.Web.Components;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Components.Layout;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Localization;
using AccessTokenPanel.Web.Maintenance;
using AccessTokenPanel.Web.Notices;
using AccessTokenPanel.Web.Telemetry;

// `backup <file>` and `restore <file>` (Operations/DatabaseCommand.cs) run instead of the web host.
if (args is ["backup" or "restore", ..])
{
    Environment.ExitCode = DatabaseCommand.Run(args, Console.Out, Console.Error);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOperatorSettingsFile(builder.Environment);
// `dotnet run` outside Development (and the test host) does not read the static web assets
// manifest by itself, so blazor.web.js, _content/MudBlazor/* and the precompressed app.css.gz are
// not found (500 or an empty 200). A published app has no manifest: this is a no-op there.
builder.WebHost.UseStaticWebAssets();
// Run from build output, MapStaticAssets would also watch wwwroot for edits: every asset answers
// `no-cache` (the fingerprinted ones too) and an edited file is re-sent uncompressed. That is for
// Development only: elsewhere the build's fingerprinted assets are immutable, as when published.
if (!builder.Environment.IsDevelopment() && builder.Configuration["ReloadStaticAssetsAtRuntime"] is null)
{
    builder.Configuration["ReloadStaticAssetsAtRuntime"] = "false";
}

builder.Services.AddPanelDomain();
builder.Services.AddPanelDatabase(builder.Configuration, builder.Environment);
builder.Services.AddPanelDataProtection();
builder.Services.AddPanelIdentity();
builder.Services.AddPanelSso(builder.Configuration);
builder.Services.AddPublicOrigin();
builder.Services.AddGracefulShutdown();
builder.Services.AddProblemDetails();
builder.Services.AddPanelUi(builder.Configuration, builder.Environment);
builder.Services.AddPanelLocalization();
builder.Services.AddPanelApis();
builder.Services.AddTokenScreens();
builder.Services.AddPanelNotices();
builder.Services.AddAuditStreaming();
builder.Services.AddPanelTelemetry(builder.Configuration);

var app = builder.Build();

app.StartPanelTelemetry();
await app.Services.InitializeDatabaseAsync();

app.UseSecurityHeaders();
app.UsePublicOrigin();
app.UseBodylessRedirects();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
// Routing after the headers every response carries and before the rest: the static assets answer
// from here (ShortCircuit below), without the rate limiter, the session check (database reads on
// every request), localization and antiforgery, none of which applies to a public file.
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UsePanelLocalization();
app.UseAuthorization();
app.UseAntiforgery();

app.MapPanelMetrics();

app.MapStaticAssets().ShortCircuit();
app.MapPanelHealthChecks();
app.MapPanelApis();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapLanguageEndpoint();
app.MapAuditExport();

app.Run();

public partial class Program;
