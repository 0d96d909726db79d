using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ServiceAccountsPoliciesApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenNotices_TokenId_Key",
                table: "TokenNotices");

            migrationBuilder.AlterColumn<Guid>(
                name: "TokenId",
                table: "TokenNotices",
                type: "uniqueidentifier",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uniqueidentifier");

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "AspNetUsers",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsServiceAccount",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "OwnerlessNoticeAt",
                table: "AspNetUsers",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "IdleNoticeAt",
                table: "AccessTokens",
                type: "datetime2",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ServiceAccountOwners",
                columns: table => new
                {
                    ServiceAccountId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceAccountOwners", x => new { x.ServiceAccountId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ServiceAccountOwners_AspNetUsers_ServiceAccountId",
                        column: x => x.ServiceAccountId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ServiceAccountOwners_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "TokenPolicies",
                columns: table => new
                {
                    ApiType = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    MaxLifetimeDays = table.Column<int>(type: "int", nullable: true),
                    CreatorRoles = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    ServiceAccountTokens = table.Column<bool>(type: "bit", nullable: false),
                    AddressesRequired = table.Column<bool>(type: "bit", nullable: false),
                    IdleRevocationDays = table.Column<int>(type: "int", nullable: true),
                    ApprovalRole = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ApprovalForServiceAccounts = table.Column<bool>(type: "bit", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenPolicies", x => x.ApiType);
                });

            migrationBuilder.CreateTable(
                name: "TokenRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequesterId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    OwnerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ApiType = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    DelegatedRole = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ExpiryDays = table.Column<int>(type: "int", nullable: true),
                    ExpiryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ExpiryInstant = table.Column<DateTime>(type: "datetime2", nullable: true),
                    AllowedAddresses = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DeciderId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    TakenAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    TokenId = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TokenRequests_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TokenNotices_TokenId_OwnerId_Key",
                table: "TokenNotices",
                columns: new[] { "TokenId", "OwnerId", "Key" },
                unique: true,
                filter: "[TokenId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceAccountOwners_UserId",
                table: "ServiceAccountOwners",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_TokenRequests_OwnerId",
                table: "TokenRequests",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_TokenRequests_RequesterId_CreatedAt",
                table: "TokenRequests",
                columns: new[] { "RequesterId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenRequests_Status_CreatedAt",
                table: "TokenRequests",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenRequests_TokenId",
                table: "TokenRequests",
                column: "TokenId",
                unique: true,
                filter: "\"TokenId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServiceAccountOwners");

            migrationBuilder.DropTable(
                name: "TokenPolicies");

            migrationBuilder.DropTable(
                name: "TokenRequests");

            migrationBuilder.DropIndex(
                name: "IX_TokenNotices_TokenId_OwnerId_Key",
                table: "TokenNotices");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "IsServiceAccount",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "OwnerlessNoticeAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "IdleNoticeAt",
                table: "AccessTokens");

            migrationBuilder.AlterColumn<Guid>(
                name: "TokenId",
                table: "TokenNotices",
                type: "uniqueidentifier",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uniqueidentifier",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TokenNotices_TokenId_Key",
                table: "TokenNotices",
                columns: new[] { "TokenId", "Key" },
                unique: true);
        }
    }
}
