using AccessTokenPanel.Domain.Notices;

namespace AccessTokenPanel.Web.Notices;

public static class NoticeSetup
{
    /// <summary>Expiry and leak notices: the options, the email and webhook channels, and the worker that scans and sends.</summary>
    public static IServiceCollection AddPanelNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticeOptions>().BindConfiguration(NoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailNoticeOptions>().BindConfiguration(EmailNoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookNoticeOptions>().BindConfiguration(WebhookNoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<INoticeChannel, EmailNoticeChannel>();
        services.AddSingleton<INoticeChannel, WebhookNoticeChannel>();
        // No redirects: the operator named the URL, and a redirect must not carry the signed body elsewhere.
        services.AddHttpClient(WebhookNoticeChannel.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<NoticeWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<NoticeWorker>());
        return services;
    }
}
