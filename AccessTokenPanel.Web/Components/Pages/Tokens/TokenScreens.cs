namespace AccessTokenPanel.Web.Components.Pages.Tokens;

public static class TokenScreens
{
    public static IServiceCollection AddTokenScreens(this IServiceCollection services)
    {
        services.AddScoped<TokenListReader>();
        services.AddScoped<GenerateTokenHandler>();
        services.AddScoped<RotateTokenHandler>();
        services.AddSingleton<Hosting.StepUpRateLimiter>();
        services.AddSingleton<Domain.Authorization.IStepUpThrottle>(sp => sp.GetRequiredService<Hosting.StepUpRateLimiter>());
        services.AddScoped<TokenDeletion>();
        services.AddScoped<TokenScreenActions>();
        services.AddScoped<ServiceAccounts.GovernanceScreenActions>();
        services.AddScoped<Overview.OverviewReader>();
        services.AddSingleton<Overview.EstateFigures>();
        services.AddOptions<Overview.OverviewOptions>().BindConfiguration(Overview.OverviewOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.EstateShownAtMostFor >= o.EstateFreshFor, "Overview:EstateShownAtMostFor must not be shorter than Overview:EstateFreshFor.")
            .ValidateOnStart();
        services.AddScoped<Settings.SettingsEditor>();
        services.AddScoped<Settings.ExternalValidatorScreenActions>();
        return services;
    }

    /// <summary>An example call for the chosen API, so the new secret can be tried at once.</summary>
    public static string ExampleCurl(Domain.Tokens.ApiType api, string baseUri, string secret)
    {
        var path = api switch
        {
            Domain.Tokens.ApiType.Configuration => "api/config/v1/settings",
            Domain.Tokens.ApiType.Scim => "scim/v2/Users",
            _ => "api/v1/tokens",
        };
        return $"curl -H \"Authorization: Bearer {secret}\" {baseUri.TrimEnd('/')}/{path}";
    }
}
