using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AccessTokenPanel.Web.Data.Sqlite;

/// <summary>The model on SQLite, with its own migrations in this folder.</summary>
public sealed class SqlitePanelDbContext(DbContextOptions<SqlitePanelDbContext> options) : PanelDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        PanelDbFunctionMappings.MapForSqlite(builder);
    }
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePanelDbContext>
{
    public SqlitePanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
