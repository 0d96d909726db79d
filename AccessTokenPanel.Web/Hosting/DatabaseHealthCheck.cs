using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// Readiness: the database answers a real read and has every migration this version knows; on
/// SQLite it also takes the write lock. On SQLite the pool cannot be trusted for that (see
/// <see cref="SqliteReadinessProbe"/>); on the server databases a pooled connection that answers is the truth.
/// </summary>
internal sealed class DatabaseHealthCheck(PanelDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var known = db.Database.GetMigrations().ToList();
        if (db.Database.IsSqlite() && db.Database.GetConnectionString() is { } connectionString && SqliteReadinessProbe.IsFile(connectionString))
        {
            var settingsTable = db.Model.FindEntityType(typeof(PanelSettings))!.GetTableName()!;
            return await SqliteReadinessProbe.CheckAsync(connectionString, known, settingsTable, cancellationToken);
        }
        try
        {
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet();
            if (Pending(known, applied) is { } pending)
            {
                return pending;
            }
            return await db.Settings.AsNoTracking().AnyAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The settings row is missing: the database was not initialized.");
        }
        catch (Exception ex) when (DatabaseFaults.IsDatabaseFault(ex))
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.", ex);
        }
    }

    /// <summary>Unhealthy when a migration this version knows is not applied: the schema is older than the code.</summary>
    public static HealthCheckResult? Pending(IReadOnlyCollection<string> known, IReadOnlySet<string> applied)
    {
        var pending = known.Where(id => !applied.Contains(id)).ToList();
        return pending.Count == 0
            ? null
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied, the first {pending[0]}: the schema is older than this version.");
    }
}
