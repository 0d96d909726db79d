using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
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
                    TokenId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyRefusals", x => new { x.TokenId, x.Day, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "TokenDailyUsage",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyUsage", x => new { x.TokenId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "TokenRecentAddresses",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Address = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
