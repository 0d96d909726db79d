using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A panel context of the provider's own type on a connection string, outside any app: for tests
/// that migrate step by step or watch a context's commands (<paramref name="interceptors"/>).
/// </summary>
public static class TestDbContexts
{
    public static PanelDbContext Create(DatabaseProvider provider, string connectionString, params IInterceptor[] interceptors) =>
        provider == DatabaseProvider.PostgreSql
            ? new PostgreSqlPanelDbContext(new DbContextOptionsBuilder<PostgreSqlPanelDbContext>().UseNpgsql(connectionString).AddInterceptors(interceptors).Options)
            : new SqlitePanelDbContext(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite(connectionString).AddInterceptors(interceptors).Options);
}
