using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OverviewIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day_TokenId_Requests",
                table: "TokenDailyUsage",
                columns: new[] { "Day", "TokenId", "Requests" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens",
                columns: new[] { "ExpiresAt", "ApiType", "CreatedAt", "LastUsedAt", "RotatedAt", "OwnerId" },
                filter: "\"Kind\" = 0 AND \"RevokedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_Day_TokenId_Requests",
                table: "TokenDailyUsage");

            migrationBuilder.DropIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage",
                column: "Day");
        }
    }
}
