using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UsageByTokenIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_Day_TokenId_Requests",
                table: "TokenDailyUsage");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_TokenId_Day_Requests",
                table: "TokenDailyUsage",
                columns: new[] { "TokenId", "Day", "Requests" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage");

            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_TokenId_Day_Requests",
                table: "TokenDailyUsage");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day_TokenId_Requests",
                table: "TokenDailyUsage",
                columns: new[] { "Day", "TokenId", "Requests" });
        }
    }
}
