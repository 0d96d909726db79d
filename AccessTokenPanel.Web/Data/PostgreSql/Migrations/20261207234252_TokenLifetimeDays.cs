using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
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
                type: "double precision",
                nullable: false,
                computedColumnSql: "EXTRACT(EPOCH FROM (\"ExpiresAt\" - \"CreatedAt\")) / 86400.0",
                stored: true);

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
