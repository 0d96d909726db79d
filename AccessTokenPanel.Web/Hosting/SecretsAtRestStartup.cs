using AccessTokenPanel.Domain.SecretsAtRest;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>At start (after the database is migrated, before requests), protects second-factor secrets still stored in clear.</summary>
internal sealed class SecretsAtRestStartup(IServiceProvider services, ILogger<SecretsAtRestMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var converted = await scope.ServiceProvider.GetRequiredService<SecretsAtRestMigration>().RunAsync(cancellationToken);
        if (converted > 0)
        {
            logger.LogInformation("Protected {Count} second-factor secret(s) that were stored in clear.", converted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
