using AccessTokenPanel.Web.Hosting;
using Npgsql;

namespace AccessTokenPanel.Tests.Hosting;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void PostgreSqlConnectionsPrepareTheirFrequentStatementsUnlessTheOperatorSaidOtherwise()
    {
        var prepared = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithPreparedStatements("Host=db;Database=panel;Username=panel"));
        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.Equal(2, prepared.AutoPrepareMinUsages);
        Assert.Equal("db", prepared.Host);

        var off = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithPreparedStatements("Host=db;Max Auto Prepare=0"));
        Assert.Equal(0, off.MaxAutoPrepare);
        var own = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithPreparedStatements("Host=db;Max Auto Prepare=8;Auto Prepare Min Usages=5"));
        Assert.Equal(8, own.MaxAutoPrepare);
        Assert.Equal(5, own.AutoPrepareMinUsages);
    }
}
