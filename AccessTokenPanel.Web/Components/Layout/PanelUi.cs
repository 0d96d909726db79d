using AccessTokenPanel.Web.Components.Account;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>The interactive Blazor Server UI: circuits, MudBlazor, and the circuit's authentication state.</summary>
public static class PanelUi
{
    /// <summary>The account pages: static server-rendered forms (they set the sign-in cookie); everything else is interactive.</summary>
    public const string StaticArea = "/account";

    public static IServiceCollection AddPanelUi(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddRazorComponents()
            .AddInteractiveServerComponents(options =>
            {
                // Exception details go to the browser only while developing; elsewhere they stay in the server log.
                options.DetailedErrors = environment.IsDevelopment();
            });
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddOptions<CircuitRevalidationOptions>()
            .Bind(configuration.GetSection(CircuitRevalidationOptions.Section))
            .Validate(o => o.RevalidationInterval > TimeSpan.Zero && o.RevalidationInterval <= CircuitRevalidationOptions.MaxInterval,
                $"Circuit:RevalidationInterval must be more than 0 and at most {CircuitRevalidationOptions.MaxInterval}.")
            .ValidateOnStart();
        services.AddScoped<AuthenticationStateProvider, PanelRevalidatingAuthenticationStateProvider>();
        services.AddScoped<CircuitActor>();
        services.AddScoped<NoticeCount>();
        return services;
    }
}
