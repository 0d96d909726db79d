using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AccessTokenPanel.Web.Data.SqlServer;

/// <summary>The model on SQL Server, with its own migrations in this folder.</summary>
public sealed class SqlServerPanelDbContext(DbContextOptions<SqlServerPanelDbContext> options) : PanelDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        PanelDbFunctionMappings.MapForSqlServer(builder);
    }
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerPanelDbContext>
{
    public SqlServerPanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerPanelDbContext>()
            .UseSqlServer("Server=localhost;Database=AccessTokenPanel;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
