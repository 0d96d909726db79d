using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TokenUsageHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TokenDailyRefusals",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyRefusals", x => new { x.TokenId, x.Day, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "TokenDailyUsage",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyUsage", x => new { x.TokenId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "TokenRecentAddresses",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenRecentAddresses", x => new { x.TokenId, x.Address });
                });

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyRefusals_Day",
                table: "TokenDailyRefusals",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_TokenRecentAddresses_LastSeenAt",
                table: "TokenRecentAddresses",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenDailyRefusals");

            migrationBuilder.DropTable(
                name: "TokenDailyUsage");

            migrationBuilder.DropTable(
                name: "TokenRecentAddresses");
        }
    }
}
