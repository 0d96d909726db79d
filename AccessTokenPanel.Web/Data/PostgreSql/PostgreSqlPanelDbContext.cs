using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AccessTokenPanel.Web.Data.PostgreSql;

/// <summary>The model on PostgreSQL, with its own migrations in this folder.</summary>
public sealed class PostgreSqlPanelDbContext(DbContextOptions<PostgreSqlPanelDbContext> options) : PanelDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        PanelDbFunctionMappings.MapForPostgreSql(builder);
    }
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPanelDbContext>
{
    public PostgreSqlPanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPanelDbContext>()
            .UseNpgsql("Host=localhost;Database=accesstokenpanel;Username=accesstokenpanel").Options);
}
