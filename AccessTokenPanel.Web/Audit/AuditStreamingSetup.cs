using AccessTokenPanel.Domain.Audit;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Audit;

public static class AuditStreamingSetup
{
    /// <summary>Audit streaming: the options, one <see cref="IAuditSink"/> per enabled <c>Audit:Sinks</c> entry, and the worker.</summary>
    public static IServiceCollection AddAuditStreaming(this IServiceCollection services)
    {
        services.AddOptions<AuditStreamOptions>().BindConfiguration(AuditStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditSinkOptions>().BindConfiguration(AuditSinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // No redirects: the operator named the URL, and a redirect must not carry the signed body elsewhere.
        services.AddHttpClient(WebhookAuditSink.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<IReadOnlyList<IAuditSink>>(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<AuditSinkOptions>>().Value.Sinks;
            return configured.Where(s => s.Value.Enabled).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Type switch
            {
                AuditSinkType.Webhook => (IAuditSink)new WebhookAuditSink(s.Key, s.Value, sp.GetRequiredService<IHttpClientFactory>()),
                _ => new SyslogAuditSink(s.Key, s.Value),
            }).ToList();
        });
        services.AddSingleton<IEnumerable<IAuditSink>>(sp => sp.GetRequiredService<IReadOnlyList<IAuditSink>>());
        services.AddSingleton<AuditStreamWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditStreamWorker>());
        return services;
    }
}
