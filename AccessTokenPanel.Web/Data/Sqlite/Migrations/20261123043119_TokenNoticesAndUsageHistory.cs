using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TokenNoticesAndUsageHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ExpiryNoticeStage",
                table: "AccessTokens",
                type: "INTEGER",
                nullable: true);

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
                name: "TokenNotices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ThresholdDays = table.Column<int>(type: "INTEGER", nullable: true),
                    TokenName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ApiType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TokenHint = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TokenExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TokenNotices_AccessTokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "AccessTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.CreateTable(
                name: "NoticeDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    NoticeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoticeDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoticeDeliveries_TokenNotices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "TokenNotices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_ExpiresAt",
                table: "AccessTokens",
                column: "ExpiresAt",
                filter: "\"Kind\" = 0 AND \"RevokedAt\" IS NULL AND \"RotatedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeDeliveries_CreatedAt",
                table: "NoticeDeliveries",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeDeliveries_NoticeId",
                table: "NoticeDeliveries",
                column: "NoticeId");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeDeliveries_Status_NextAttemptAt",
                table: "NoticeDeliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyRefusals_Day",
                table: "TokenDailyRefusals",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_TokenNotices_OwnerId_CreatedAt",
                table: "TokenNotices",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenNotices_TokenId_Key",
                table: "TokenNotices",
                columns: new[] { "TokenId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TokenRecentAddresses_LastSeenAt",
                table: "TokenRecentAddresses",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NoticeDeliveries");

            migrationBuilder.DropTable(
                name: "TokenDailyRefusals");

            migrationBuilder.DropTable(
                name: "TokenDailyUsage");

            migrationBuilder.DropTable(
                name: "TokenRecentAddresses");

            migrationBuilder.DropTable(
                name: "TokenNotices");

            migrationBuilder.DropIndex(
                name: "IX_AccessTokens_ExpiresAt",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "ExpiryNoticeStage",
                table: "AccessTokens");
        }
    }
}
