using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TokenLifetimeDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens");

            migrationBuilder.AddColumn<double>(
                name: "LifetimeDays",
                table: "AccessTokens",
                type: "REAL",
                nullable: false,
                computedColumnSql: "julianday(\"ExpiresAt\") - julianday(\"CreatedAt\")",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens",
                columns: new[] { "ExpiresAt", "ApiType", "LifetimeDays", "LastUsedAt", "RotatedAt", "OwnerId" },
                filter: "\"Kind\" = 0 AND \"RevokedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "LifetimeDays",
                table: "AccessTokens");

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_LiveSummary",
                table: "AccessTokens",
                columns: new[] { "ExpiresAt", "ApiType", "CreatedAt", "LastUsedAt", "RotatedAt", "OwnerId" },
                filter: "\"Kind\" = 0 AND \"RevokedAt\" IS NULL");
        }
    }
}
