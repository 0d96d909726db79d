using AccessTokenPanel.Domain;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOperatorSettingsFile(builder.Environment);
// Serve the stylesheet and scripts from the build output in every environment, not only in
// Development: `dotnet run` runs as Production here (a no-op for a published app).
builder.WebHost.UseStaticWebAssets();

builder.Services.AddPanelDomain();
builder.Services.AddPanelDatabase(builder.Configuration, builder.Environment);
builder.Services.AddPanelIdentity();
builder.Services.AddProblemDetails();
builder.Services.AddRazorComponents();
builder.Services.AddPanelApis();

var app = builder.Build();

await app.Services.InitializeDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapPanelHealthChecks();
app.MapPanelApis();
app.MapRazorComponents<App>();
app.MapAccountEndpoints();

app.Run();

public partial class Program;
