using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// Runs a real query (the settings row) rather than only opening a connection: SQLite opens a file
/// that is not a database without complaint and fails on the first read.
/// </summary>
internal sealed class DatabaseHealthCheck(PanelDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Settings.AsNoTracking().AnyAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The settings row is missing: the database was not initialized.");
        }
        catch (Exception ex) when (DatabaseFaults.IsDatabaseFault(ex))
        {
            DatabaseFaults.Forget(ex);
            return HealthCheckResult.Unhealthy("The database is not usable.", ex);
        }
    }
}
