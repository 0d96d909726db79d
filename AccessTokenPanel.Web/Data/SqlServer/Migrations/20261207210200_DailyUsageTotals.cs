using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DailyUsageTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TokenDailyRefusalTotals",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyRefusalTotals", x => new { x.Day, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "TokenDailyTotals",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyTotals", x => x.Day);
                });

            // The totals of the history already flushed: the sums of its per-token rows.
            migrationBuilder.Sql("INSERT INTO [TokenDailyTotals] ([Day], [Requests]) SELECT [Day], SUM([Requests]) FROM [TokenDailyUsage] GROUP BY [Day]");
            migrationBuilder.Sql("INSERT INTO [TokenDailyRefusalTotals] ([Day], [Reason], [Count]) SELECT [Day], [Reason], SUM([Count]) FROM [TokenDailyRefusals] GROUP BY [Day], [Reason]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenDailyRefusalTotals");

            migrationBuilder.DropTable(
                name: "TokenDailyTotals");
        }
    }
}
