namespace AccessTokenPanel.Domain.Data;

/// <summary>
/// Functions a query may use that each provider's model maps to its own SQL
/// (<c>PanelDbFunctionMappings</c> in the web project): the same figure on SQLite, PostgreSQL and
/// SQL Server, computed by the database instead of reading the rows.
/// </summary>
public static class PanelDbFunctions
{
    /// <summary>
    /// The days from <paramref name="from"/> to <paramref name="to"/>, with the fraction. In SQL a
    /// double computed by the provider (SQLite from its julian day numbers, about 50 µs apart), so
    /// compare it with a margin, never for equality; outside a query, .NET's exact value.
    /// </summary>
    public static double DaysBetween(DateTime from, DateTime to) => (to - from).TotalDays;
}
