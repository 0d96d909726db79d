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
app.UseRateLimiter();
app.UseAuthentication();
app.UsePanelLocalization();
app.UseAuthorization();
app.UseAntiforgery();

app.MapPanelMetrics();

app.MapStaticAssets();
app.MapPanelHealthChecks();
app.MapPanelApis();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapLanguageEndpoint();
app.MapAuditExport();

app.Run();

public partial class Program;
